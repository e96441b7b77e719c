using Grpc.Core;
using Grpc.Net.Client;
using MarginOrleans.Api.V1;

namespace MarginOrleans.LoadTest;

/// <summary>
/// For scripts/failover.sh: creates accounts (their grains spread over every silo), then reads all
/// of them through the gateway every 100 ms until stopped, printing one line a round:
/// "unix-ms-at-start OK" or "unix-ms-at-start status". A round is OK when every account answered,
/// so after a silo kill the first OK round is the first moment the gateway serves every account again.
/// </summary>
public static class FailoverProbe
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    public static async Task Run(string gateway, string operatorKey, int accounts, CancellationToken cancel)
    {
        var channel = GrpcChannel.ForAddress(gateway);
        var headers = new Metadata { { "authorization", "Bearer " + operatorKey } };
        var operations = new Api.V1.Operations.OperationsClient(channel);
        var keys = new List<Metadata>();
        while (keys.Count < accounts)
        {
            // Until the silos have seeded the operator key and the gateway joined: asked again, as a new
            // account each time (a repeated CreateAccount returns no key).
            try
            {
                var id = $"probe-{Guid.NewGuid():N}";
                var created = await operations.CreateAccountAsync(new CreateAccountRequest { RequestId = id, AccountId = id }, headers, cancellationToken: cancel);
                keys.Add(new Metadata { { "authorization", "Bearer " + created.ApiKey } });
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Unauthenticated or StatusCode.DeadlineExceeded)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancel);
            }
        }

        Console.WriteLine("ready");
        while (!cancel.IsCancellationRequested)
        {
            var started = DateTimeOffset.UtcNow;
            var outcome = "OK";
            var reader = new Api.V1.Accounts.AccountsClient(channel);
            try
            {
                await Task.WhenAll(keys.Select(key => reader.GetAccountAsync(new GetAccountRequest(), key, DateTime.UtcNow + Deadline, cancel).ResponseAsync));
            }
            catch (RpcException e)
            {
                // A new channel: the old one's reconnect backoff would add seconds of its own to the timing.
                outcome = e.StatusCode.ToString();
                channel.Dispose();
                channel = GrpcChannel.ForAddress(gateway);
            }

            Console.WriteLine($"{started.ToUnixTimeMilliseconds()} {outcome}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancel);
        }
    }
}
