using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using MarginOrleans.Api.V1;

namespace MarginOrleans.LoadTest;

/// <summary>
/// What idle watchers cost the account events' push: for each size N, N server-sent event
/// connections (the gateway's HTTP/1.1 port, <c>/v1/accounts/me/events:sse</c>), N − 1 of them idle
/// on accounts of their own, one on an account that withdraws a cent at a time. Reports the
/// latency from the row's journal time (the engine clock stamps it as the row is journaled) to the
/// watcher reading it, p50 and p99, and the gateway's CPU time per event (<c>--gateway-pid</c>: it
/// includes what the idle watchers cost meanwhile: the feed's once-a-second tick), and the ratio of
/// the largest size to the smallest. Real connections: the client needs a file limit above N, and
/// the gateway a rate limit (Gateway:RateLimit) above N new keys a second from one address.
/// </summary>
public static class WatcherFanout
{
    public static async Task Run(string gateway, string rest, string operatorKey, int[] sizes, int events, int? gatewayPid, CancellationToken cancel)
    {
        using var channel = GrpcChannel.ForAddress(gateway);
        var operations = new Api.V1.Operations.OperationsClient(channel);
        var operatorHeaders = new Metadata { { "authorization", "Bearer " + operatorKey } };
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(rest), Timeout = Timeout.InfiniteTimeSpan,
        };

        async Task<string> Account()
        {
            var id = Guid.NewGuid().ToString("N");
            var created = await operations.CreateAccountAsync(new CreateAccountRequest { RequestId = id }, operatorHeaders, cancellationToken: cancel);
            await operations.DepositAsync(new DepositRequest { RequestId = id + "d", AccountId = created.AccountId, Amount = "1000000" }, operatorHeaders, cancellationToken: cancel);
            return created.ApiKey;
        }

        var measuredKey = await Account();
        var accounts = new Api.V1.Accounts.AccountsClient(channel);
        var rows = new List<(int Watchers, double P50, double P99, double CpuMs)>();
        foreach (var size in sizes)
        {
            var idleKeys = await Bounded(Enumerable.Range(0, size - 1), 32, _ => Account());
            var idle = await Bounded(idleKeys, 64, key => Open(http, key, cancel));
            using var measured = await Open(http, measuredKey, cancel);
            await Withdraw(accounts, measuredKey, cancel);
            await measured.Next(cancel); // warm: the watch is live
            Console.Error.WriteLine($"{size,7} watchers connected and live");

            var cpuBefore = gatewayPid is { } pid ? CpuSeconds(pid) : 0;
            var latencies = new List<double>(events);
            for (var i = 0; i < events; i++)
            {
                await Withdraw(accounts, measuredKey, cancel);
                var row = await measured.Next(cancel);
                var journaled = DateTimeOffset.Parse(row["time"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                latencies.Add((DateTimeOffset.UtcNow - journaled).TotalMilliseconds);
            }

            var cpuMs = gatewayPid is { } p ? (CpuSeconds(p) - cpuBefore) * 1000 / events : double.NaN;
            latencies.Sort();
            rows.Add((size, latencies[latencies.Count / 2], latencies[Math.Min(latencies.Count - 1, latencies.Count * 99 / 100)], cpuMs));
            Console.WriteLine($"{size,7} watchers: journal→watcher p50 {rows[^1].P50:F1} ms, p99 {rows[^1].P99:F1} ms, gateway CPU {cpuMs:F3} ms per event");
            idle.ForEach(s => s.Dispose());
        }

        var (first, last) = (rows[0], rows[^1]);
        Console.WriteLine($"{last.Watchers} ÷ {first.Watchers}: p50 ×{last.P50 / first.P50:F2}, p99 ×{last.P99 / first.P99:F2}, CPU per event ×{last.CpuMs / first.CpuMs:F2}");
    }

    private static Task Withdraw(Api.V1.Accounts.AccountsClient accounts, string key, CancellationToken cancel) =>
        accounts.WithdrawAsync(new WithdrawRequest { RequestId = Guid.NewGuid().ToString("N"), Amount = "0.01" },
            new Metadata { { "authorization", "Bearer " + key } }, cancellationToken: cancel).ResponseAsync;

    private static async Task<SseStream> Open(HttpClient http, string key, CancellationToken cancel)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts/me/events:sse");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        response.EnsureSuccessStatusCode();
        return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancel)));
    }

    private static async Task<List<TOut>> Bounded<TIn, TOut>(IEnumerable<TIn> items, int inFlight, Func<TIn, Task<TOut>> work)
    {
        using var gate = new SemaphoreSlim(inFlight);
        return [.. await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                return await work(item);
            }
            finally
            {
                gate.Release();
            }
        }))];
    }

    /// <summary>utime + stime of the process, in seconds (/proc/pid/stat fields 14 and 15, 1/100 s ticks).</summary>
    private static double CpuSeconds(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private sealed class SseStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        /// <summary>The data of the next journal row (an event with an id).</summary>
        public async Task<JsonNode> Next(CancellationToken cancel)
        {
            var hasId = false;
            while (await reader.ReadLineAsync(cancel) is { } line)
            {
                hasId |= line.StartsWith("id: ", StringComparison.Ordinal);
                if (hasId && line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    return JsonNode.Parse(line[6..])!;
                }
            }

            throw new UnreachableException("the event stream ended");
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
