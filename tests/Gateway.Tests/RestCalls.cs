using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MarginOrleans.Gateway.Tests;

/// <summary>REST calls as any HTTP client makes them: a method, a path, a JSON text, headers; the answer's status and JSON.</summary>
public sealed class RestCalls(HttpClient http)
{
    public async Task<(HttpStatusCode Status, JsonElement Json)> Send(HttpMethod method, string path, string? json = null, string? key = null,
        (string Name, string Value)[]? headers = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<JsonElement> Get(string path, string? key = null) => Ok(await Send(HttpMethod.Get, path, key: key), "GET " + path);

    public async Task<JsonElement> Post(string path, string json, string? key = null) => Ok(await Send(HttpMethod.Post, path, json, key), "POST " + path);

    /// <summary>The first JSON line of a streaming route (one message a line), then the stream is left.</summary>
    public async Task<JsonElement> FirstOfStream(string path, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var line = await reader.ReadLineAsync(cancel.Token) ?? throw new InvalidOperationException($"{path} ended without a message");
        cancel.Cancel();
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    private static JsonElement Ok((HttpStatusCode Status, JsonElement Json) answer, string call) =>
        answer.Status == HttpStatusCode.OK ? answer.Json : throw new Xunit.Sdk.XunitException($"{call}: {(int)answer.Status} {answer.Json}");

    public static string Text(JsonElement json, string name) => json.GetProperty(name).GetString()!;

    /// <summary>The google.rpc.Status of an error body: code, ErrorInfo reason, BadRequest's first field ("" when none).</summary>
    public static (int Code, string Reason, string Field) Status(JsonElement json)
    {
        var details = json.GetProperty("details").EnumerateArray().ToList();
        var reason = details.Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.ErrorInfo").GetProperty("reason").GetString()!;
        var field = details.Where(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.BadRequest")
            .Select(d => d.GetProperty("fieldViolations")[0].GetProperty("field").GetString()!).SingleOrDefault() ?? "";
        return (json.GetProperty("code").GetInt32(), reason, field);
    }
}
