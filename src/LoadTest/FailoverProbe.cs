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
        using var channel = GrpcChannel.ForAddress(gateway);
        var headers = new Metadata { { "authorization", "Bearer " + operatorKey } };
        var operations = new Api.V1.Operations.OperationsClient(channel);
        var reader = new Api.V1.Accounts.AccountsClient(channel);
        var ids = Enumerable.Range(0, accounts).Select(i => $"probe-{i}").ToList();
        foreach (var id in ids)
        {
            await operations.CreateAccountAsync(new CreateAccountRequest { RequestId = id, AccountId = id }, headers, cancellationToken: cancel);
        }

        Console.WriteLine("ready");
        while (!cancel.IsCancellationRequested)
        {
            var started = DateTimeOffset.UtcNow;
            var outcome = "OK";
            try
            {
                await Task.WhenAll(ids.Select(id => reader.GetAccountAsync(new GetAccountRequest { AccountId = id }, headers, DateTime.UtcNow + Deadline, cancel).ResponseAsync));
            }
            catch (RpcException e)
            {
                outcome = e.StatusCode.ToString();
            }

            Console.WriteLine($"{started.ToUnixTimeMilliseconds()} {outcome}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancel);
        }
    }
}
