using MarginOrleans.Api.V1;
using Xunit;

namespace MarginOrleans.Cli.Tests;

/// <summary>`margin admin create-market` reads a market's spec from a JSON or YAML file; a typo is an error, never a default.</summary>
public sealed class MarketSpecFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("market-spec-").FullName;

    private static readonly MarketSpec Expected = new()
    {
        Symbol = "DOGE-USDT", TickSize = "0.00001", LotSize = "1", TakerFeeRate = "0.0005", TriggerShards = 8, StaleAfterSeconds = 30,
        CircuitBreaker = "0.1", SharedInsuranceFund = true,
        Brackets = { new BracketSpec { NotionalCap = "50000", MaintenanceMarginRate = "0.005", LeverageMax = 75 }, new BracketSpec { NotionalCap = "250000", MaintenanceMarginRate = "0.01", LeverageMax = 50 } },
    };

    [Fact]
    public void Json_InTheApisMapping_WithProtoOrCamelCaseNames()
    {
        var path = Write("doge.json", """
            { "symbol": "DOGE-USDT", "tick_size": "0.00001", "lotSize": "1", "taker_fee_rate": "0.0005", "trigger_shards": 8,
              "stale_after_seconds": 30, "circuit_breaker": "0.1", "shared_insurance_fund": true,
              "brackets": [ { "notional_cap": "50000", "maintenance_margin_rate": "0.005", "leverage_max": 75 },
                            { "notional_cap": "250000", "maintenance_margin_rate": "0.01", "leverage_max": 50 } ] }
            """);

        Assert.Equal(Expected, MarketSpecFile.Read(path));
    }

    [Fact]
    public void Yaml_TheSameFields()
    {
        var path = Write("doge.yaml", """
            symbol: DOGE-USDT
            tick_size: "0.00001"
            lot_size: 1
            taker_fee_rate: 0.0005
            trigger_shards: 8
            stale_after_seconds: 30
            circuit_breaker: 0.1
            shared_insurance_fund: true
            brackets:
              - { notional_cap: 50000, maintenance_margin_rate: 0.005, leverage_max: 75 }
              - notional_cap: 250000
                maintenance_margin_rate: 0.01
                leverage_max: 50
            """);

        Assert.Equal(Expected, MarketSpecFile.Read(path));
    }

    /// <summary>The example the README points to stays readable.</summary>
    [Fact]
    public void TheDocumentedExample_Reads()
    {
        var spec = MarketSpecFile.Read(Path.Combine(AppContext.BaseDirectory, "../../../../../docs/examples/doge-usdt.yaml"));

        Assert.Equal(("DOGE-USDT", "0.00001", 3, "0.1"), (spec.Symbol, spec.TickSize, spec.Brackets.Count, spec.CircuitBreaker));
    }

    [Theory]
    [InlineData("bad.json", """{ "symbol": "X-USDT", "tick_sise": "0.1" }""", "tick_sise")]
    [InlineData("bad.yml", "symbol: X-USDT\nleverage: 20\n", "leverage")]
    [InlineData("bad.json", """{ "symbol": "X-USDT", """, "bad.json")]
    public void UnknownFieldOrBrokenFile_IsAnErrorNamingIt(string name, string text, string named)
    {
        var path = Write(name, text);

        var thrown = Assert.Throws<FormatException>(() => MarketSpecFile.Read(path));

        Assert.Contains(named, thrown.Message);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
