using MarginOrleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Polly.Registry;

namespace MarginOrleans.Tests.Cluster;

/// <summary>
/// Orleans times each grain placement with a Polly pipeline on the silo's unkeyed clock: in these
/// tests, the test's clock. A test that advanced it by a funding interval while a placement was in
/// flight timed that placement out (30 s by default; a <c>TimeoutRejectedException</c>, which has no
/// codec, failed the call). The test cluster gives a placement a day of the test's clock.
/// </summary>
public sealed class PlacementClockTests
{
    /// <summary>The pipeline's key in Orleans (its constant is internal in this version).</summary>
    private const string Placement = "Orleans.Placement";

    [Fact]
    public async Task AnAdvanceOfTheTestsClock_TimesNoPlacementOut()
    {
        var prefix = ClusterFixture.NewTablePrefix();
        var cluster = await ClusterFixture.Start(prefix);
        try
        {
            var placement = Assert.IsType<InProcessSiloHandle>(cluster.Primary).ServiceProvider
                .GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<SiloAddress>(Placement);
            var timedOut = false;
            await placement.ExecuteAsync(token =>
            {
                TestClock.For(prefix).Advance(TimeSpan.FromHours(8));
                timedOut = token.IsCancellationRequested;
                return ValueTask.FromResult(cluster.Primary!.SiloAddress);
            });
            Assert.False(timedOut);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
