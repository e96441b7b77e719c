using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MarginOrleans.Gateway.Tests;

/// <summary>The gateway's settings are checked before it starts, each bad one named (a typo in Clustering used to look for a local silo).</summary>
public sealed class GatewaySettingsTests
{
    [Theory]
    [InlineData("Margin:Clustering", "Azuretable", "Margin:Clustering must be \"Localhost\" or \"AzureTable\", not \"Azuretable\".")]
    [InlineData("Margin:GatewayPort", "thirty", "Margin:GatewayPort must be 1 to 65535, not \"thirty\".")]
    [InlineData("Margin:GatewayPort", "0", "Margin:GatewayPort must be 1 to 65535, not \"0\".")]
    [InlineData("Margin:ClusterId", " ", "Margin:ClusterId is required.")]
    public void BadSetting_StopsTheGatewayBeforeItStarts_NamingTheSetting(string key, string value, string problem)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });

        var thrown = Assert.Throws<OptionsValidationException>(() => builder.AddMarginGateway());

        Assert.Equal([problem], thrown.Failures);
    }

    [Fact]
    public void AzureTableClustering_NeedsTheStorage()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Margin:Clustering"] = "AzureTable" });

        var thrown = Assert.Throws<OptionsValidationException>(() => builder.AddMarginGateway());

        Assert.Equal(["Margin:Storage (the cluster's Azure Storage connection string) is required with AzureTable clustering."], thrown.Failures);
    }
}
