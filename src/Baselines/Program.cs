using MarginOrleans.Baselines;
using MarginOrleans.Silo;
using Microsoft.Extensions.Hosting;

// The production silo, with the same settings (appsettings.json beside the binary, Margin__*),
// plus the baseline grains and the memory streams their stream pattern publishes on.
// scripts/load.sh starts this host instead of the silo for a patterns run.
var settings = new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory };
var host = Host.CreateApplicationBuilder(settings);
host.AddMarginSilo();
host.UseOrleans(silo => silo.AddMemoryStreams(BaselineStreams.Provider));
await host.Build().RunAsync();
