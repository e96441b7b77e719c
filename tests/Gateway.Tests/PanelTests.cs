using System.Net;
using System.Text.RegularExpressions;
using MarginOrleans.Gateway.Rest;

namespace MarginOrleans.Gateway.Tests;

/// <summary>The web panel's files, served by the gateway itself; and no browser origin let in unless configured.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class PanelTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Panel_IsServedAtTheRoot_AndLoadsOnlyTheGatewaysOwnFiles()
    {
        using var http = gateway.Http();
        using var page = await http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode.OK, "text/html"), (page.StatusCode, page.Content.Headers.ContentType?.MediaType));
        Assert.Equal(PanelSetup.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());

        // Every file the page names, and every module those import, is here: nothing from elsewhere.
        var pending = new Queue<string>(Linked().Matches(html).Select(m => m.Groups[1].Value));
        var loaded = new HashSet<string>();
        while (pending.TryDequeue(out var path))
        {
            if (path == "docs" || !loaded.Add(path))
            {
                continue;
            }

            Assert.DoesNotContain("//", path);
            using var file = await http.GetAsync("/" + path);
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{path}: {(int)file.StatusCode}");
            foreach (Match import in Imported().Matches(await file.Content.ReadAsStringAsync()))
            {
                pending.Enqueue("js/" + import.Groups[1].Value);
            }
        }

        Assert.Equal(11, loaded.Count); // the stylesheet and ten modules
    }

    [Fact]
    public async Task Cors_IsOffByDefault()
    {
        using var http = gateway.Http();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/positions:open");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await http.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [GeneratedRegex("(?:src|href)=\"([^\"#]+)\"")]
    private static partial Regex Linked();

    [GeneratedRegex("""from '\./([^']+)'""")]
    private static partial Regex Imported();
}
