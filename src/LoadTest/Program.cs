using System.CommandLine;
using MarginOrleans.LoadTest;

var positions = new Option<int>("--positions") { Description = "isolated positions to open", DefaultValueFactory = _ => 2_000 };
var concurrency = new Option<int>("--concurrency") { Description = "commands in flight at once", DefaultValueFactory = _ => 64 };
var gatewayPort = new Option<int>("--silo-gateway-port") { Description = "the silo's Orleans gateway port", DefaultValueFactory = _ => 30000 };
var clusterId = new Option<string>("--cluster-id") { DefaultValueFactory = _ => "margin-local" };
var tickInterval = new Option<int>("--tick-interval-ms") { Description = "pause between ticks; 0 publishes as fast as the market takes them", DefaultValueFactory = _ => 50 };
var root = new RootCommand("margin-load — drives a running silo (scripts/run.sh): opens positions, plays a falling mark path, measures liquidation latency")
{
    positions, concurrency, gatewayPort, clusterId, tickInterval,
};
root.SetAction((parse, cancel) => new LoadRun(
    parse.GetValue(positions), parse.GetValue(concurrency), parse.GetValue(gatewayPort), parse.GetValue(clusterId)!, parse.GetValue(tickInterval)).Run(cancel));
return await root.Parse(args).InvokeAsync();
