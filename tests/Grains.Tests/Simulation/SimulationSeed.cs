using Xunit.Abstractions;

namespace MarginOrleans.Tests.Simulation;

/// <summary>The seed of a seeded simulation: MARGIN_SIM_SEED, or the test's own default; written to the output so a failure can be replayed.</summary>
public static class SimulationSeed
{
    public static int From(int defaultSeed, ITestOutputHelper output)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MARGIN_SIM_SEED"), out var s) ? s : defaultSeed;
        output.WriteLine($"reproduce with seed={seed} (MARGIN_SIM_SEED)");
        return seed;
    }
}
