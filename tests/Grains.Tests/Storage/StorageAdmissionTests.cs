using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using MarginOrleans.Storage;
using Microsoft.Extensions.Time.Testing;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// A storage account's requests beyond its bound wait in the silo, in arrival order, and the mark's
/// write passes them. The table service here is a handler that holds every request until the test
/// answers it, so what reached the service, and in which order, is seen exactly.
/// </summary>
public sealed class StorageAdmissionTests
{
    [Fact]
    public async Task BeyondTheBound_RequestsWaitInArrivalOrder_AndTheMarkPassesThem()
    {
        var service = new HeldService();
        var admission = new StorageAdmission(2, TimeProvider.System);
        var table = Table(service, admission);

        var first = Write(table, "a");
        var second = Write(table, "b");
        var third = Write(table, "c");
        var fourth = Write(table, "d");
        Assert.Equal(["a", "b"], service.Arrived);
        Assert.Equal(2, admission.Waiting);

        Task mark;
        using (StorageAdmission.FirstInLine())
        {
            mark = Write(table, "mark");
        }

        Assert.Equal(["a", "b", "mark"], service.Arrived);
        Assert.Equal(2, admission.Waiting);

        service.Answer("mark");
        await mark;
        Assert.Equal(["a", "b", "mark"], service.Arrived);

        service.Answer("b");
        await second;
        await service.Reached(4);
        Assert.Equal(["a", "b", "mark", "c"], service.Arrived);
        Assert.Equal(1, admission.Waiting);

        service.Answer("a");
        await first;
        await service.Reached(5);
        Assert.Equal(["a", "b", "mark", "c", "d"], service.Arrived);
        Assert.Equal(0, admission.Waiting);

        service.Answer("c");
        service.Answer("d");
        await Task.WhenAll(third, fourth);
        Assert.Equal(2, service.MostAtOnceBesides("mark"));
    }

    /// <summary>
    /// A batch holds a permit per row (at most the bound): the service's cost is per row. It waits
    /// until its rows' room is free, and the requests behind it wait with it, in order.
    /// </summary>
    [Fact]
    public async Task ABatch_HoldsAPermitPerRow_AndTheRequestsBehindItWaitWithIt()
    {
        var service = new HeldService();
        var admission = new StorageAdmission(4, TimeProvider.System);
        var table = Table(service, admission);

        var single = Write(table, "a");
        Task batch, beyondTheBound;
        using (StorageAdmission.Rows(4))
        {
            batch = Write(table, "batch");
        }

        var behind = Write(table, "b");
        Assert.Equal(["a"], service.Arrived); // three permits free, but the batch needs four and b is behind it
        Assert.Equal(2, admission.Waiting);

        await Answered(service, single, "a", 2);
        Assert.Equal(["a", "batch"], service.Arrived);
        Assert.Equal(1, admission.Waiting);

        using (StorageAdmission.Rows(100))
        {
            beyondTheBound = Write(table, "whole"); // holds all four permits, no more
        }

        await Answered(service, batch, "batch", 3);
        Assert.Equal(["a", "batch", "b"], service.Arrived);
        Assert.Equal(1, admission.Waiting);
        await Answered(service, behind, "b", 4);
        await Answered(service, beyondTheBound, "whole", 4);
        Assert.Equal(0, admission.Waiting);
        Assert.Equal(1, service.MostAtOnceBesides("mark"));
    }

    /// <summary>A batch cancelled while it waits for room lets in the smaller requests behind it that fit now.</summary>
    [Fact]
    public async Task ABatchCancelledWhileWaiting_LetsInTheRequestsBehindIt()
    {
        var service = new HeldService();
        var admission = new StorageAdmission(4, TimeProvider.System);
        var table = Table(service, admission);
        using var cancel = new CancellationTokenSource();

        var single = Write(table, "a");
        Task batch;
        using (StorageAdmission.Rows(4))
        {
            batch = table.UpsertEntityAsync(new TableEntity("p", "batch"), TableUpdateMode.Replace, cancel.Token);
        }

        var behind = Write(table, "b");
        Assert.Equal(["a"], service.Arrived);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch);
        await service.Reached(2); // a still holds its permit: b fits beside it
        Assert.Equal(["a", "b"], service.Arrived);
        await Answered(service, single, "a", 2);
        await Answered(service, behind, "b", 2);
        Assert.Equal(0, admission.Waiting);
    }

    /// <summary>
    /// A request that ranks ahead of a batch giving way (sent within its 15 s) and fits is let in at
    /// once, though the batch still waits for its room.
    /// </summary>
    [Fact]
    public async Task ARequestRankingAheadOfABatchThatGivesWay_IsLetInAtOnce()
    {
        var clock = new FakeTimeProvider();
        var service = new HeldService();
        var admission = new StorageAdmission(4, clock);
        var table = Table(service, admission);

        var single = Write(table, "a");
        Task record;
        using (StorageAdmission.GiveWay())
        using (StorageAdmission.Rows(4))
        {
            record = Write(table, "record");
        }

        var ahead = Write(table, "b");
        await service.Reached(2);
        Assert.Equal(["a", "b"], service.Arrived);
        Assert.Equal(1, admission.Waiting);

        await Answered(service, single, "a", 2);
        await Answered(service, ahead, "b", 3);
        await Answered(service, record, "record", 3);
        Assert.Equal(["a", "b", "record"], service.Arrived);
    }

    /// <summary>A group commit's write (a market's marks, a fund's transfers, a trigger shard's entries) passes the queue: all its changes wait on it.</summary>
    [Fact]
    public async Task AGroupCommitsWrite_PassesTheQueue()
    {
        var service = new HeldService();
        var admission = new StorageAdmission(1, TimeProvider.System);
        var table = Table(service, admission);
        var held = Write(table, "a");
        var queued = Write(table, "b");
        var commit = new GroupCommit(() => Write(table, "mark"), "mark");

        commit.Changed();
        var durable = commit.Durable();

        await service.Reached(2);
        Assert.Equal(["a", "mark"], service.Arrived);
        service.Answer("mark");
        await durable;
        Assert.Equal(1, admission.Waiting);
        service.Answer("a");
        await held;
        await service.Reached(3);
        service.Answer("b");
        await queued;
    }

    /// <summary>
    /// How long a request sent now would wait: the requests waiting × the recent interval between
    /// answers while a queue stood (each answer moves it a sixteenth of the way); an idle gap does not count.
    /// </summary>
    [Fact]
    public async Task TheQueuesWait_IsTheRequestsWaiting_TimesTheIntervalBetweenAnswers()
    {
        var clock = new FakeTimeProvider();
        var service = new HeldService();
        var admission = new StorageAdmission(1, clock);
        var table = Table(service, admission);
        var (a, b, c, d) = (Write(table, "a"), Write(table, "b"), Write(table, "c"), Write(table, "d"));
        Assert.Equal(TimeSpan.Zero, admission.QueueWait); // three wait, but no answer has shown the pace yet

        await Answered(service, a, "a", 2);
        clock.Advance(TimeSpan.FromMilliseconds(4));
        await Answered(service, b, "b", 3);
        Assert.Equal(TimeSpan.FromMilliseconds(4), admission.QueueWait); // d waits behind c: 1 × 4 ms

        clock.Advance(TimeSpan.FromMilliseconds(20));
        await Answered(service, c, "c", 4);
        Assert.Equal(TimeSpan.Zero, admission.QueueWait); // nothing waits; the interval is now 4 + (20 − 4) / 16 = 5 ms
        clock.Advance(TimeSpan.FromMilliseconds(5));
        await Answered(service, d, "d", 4); // at that pace: it stays 5 ms

        // Ten idle seconds, then a queue again: its first answer follows the gap and says nothing of the pace.
        clock.Advance(TimeSpan.FromSeconds(10));
        var (e, f, g) = (Write(table, "e"), Write(table, "f"), Write(table, "g"));
        await Answered(service, e, "e", 6);
        Assert.Equal(TimeSpan.FromMilliseconds(5), admission.QueueWait); // g waits behind f
        await Answered(service, f, "f", 7);
        await Answered(service, g, "g", 7);
    }

    /// <summary>
    /// A request that gives way (a record of what is already durable) counts as arriving
    /// <see cref="AdmissionLines.GiveWayBy"/> later than it did: requests sent within that time pass
    /// it, one sent after does not.
    /// </summary>
    [Fact]
    public async Task ARequestThatGivesWay_IsPassedByRequestsSentWithinItsTime_NotLater()
    {
        var clock = new FakeTimeProvider();
        var service = new HeldService();
        var admission = new StorageAdmission(1, clock);
        var table = Table(service, admission);

        var held = Write(table, "a");
        Task record;
        using (StorageAdmission.GiveWay())
        {
            record = Write(table, "record");
        }

        clock.Advance(AdmissionLines.GiveWayBy - TimeSpan.FromSeconds(0.1));
        var within = Write(table, "within");
        clock.Advance(TimeSpan.FromSeconds(0.2));
        var after = Write(table, "after");
        Assert.Equal(3, admission.Waiting);

        await Answered(service, held, "a", 2);
        await Answered(service, within, "within", 3);
        await Answered(service, record, "record", 4);
        await Answered(service, after, "after", 4);
        Assert.Equal(["a", "within", "record", "after"], service.Arrived);
    }

    /// <summary>A request cancelled while it waits leaves the queue; its turn goes to the next.</summary>
    [Fact]
    public async Task ARequestCancelledWhileWaiting_PassesItsTurnOn()
    {
        var service = new HeldService();
        var admission = new StorageAdmission(1, TimeProvider.System);
        var table = Table(service, admission);
        using var cancel = new CancellationTokenSource();

        var held = Write(table, "a");
        var cancelled = table.UpsertEntityAsync(new TableEntity("p", "b"), TableUpdateMode.Replace, cancel.Token);
        var next = Write(table, "c");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, admission.Waiting);

        service.Answer("a");
        await held;
        await service.Reached(2);
        service.Answer("c");
        await next;
        Assert.Equal(["a", "c"], service.Arrived);
        Assert.Equal(0, admission.Waiting);
    }

    [Fact]
    public async Task AFailedRequest_GivesItsPermitBack()
    {
        var service = new HeldService();
        var admission = new StorageAdmission(1, TimeProvider.System);
        var table = Table(service, admission);

        var failing = Write(table, "a");
        var next = Write(table, "b");
        Assert.Equal(1, admission.Waiting);

        service.Answer("a", HttpStatusCode.PreconditionFailed);
        var refused = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => failing);
        Assert.Equal(412, refused.Status);
        await service.Reached(2);
        service.Answer("b");
        await next;
        Assert.Equal(0, admission.Waiting);
    }

    /// <summary>Answers <paramref name="row"/>'s request, and waits for its write and for <paramref name="arrived"/> requests at the service.</summary>
    private static async Task Answered(HeldService service, Task write, string row, int arrived)
    {
        service.Answer(row);
        await write;
        await service.Reached(arrived);
    }

    private static Task Write(TableClient table, string row) =>
        table.UpsertEntityAsync(new TableEntity("p", row), TableUpdateMode.Replace);

    private static TableClient Table(HeldService service, StorageAdmission admission)
    {
        var options = new TableClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(service)),
            Retry = { MaxRetries = 0 },
        };
        options.AddPolicy(admission, HttpPipelinePosition.PerRetry);
        return new TableClient(new Uri("http://127.0.0.1:1/devstoreaccount1/held"), "held", new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])), options);
    }

    /// <summary>A table service that answers a request only when told to, by the row it writes.</summary>
    private sealed class HeldService : HttpMessageHandler
    {
        private readonly Lock gate = new();
        private readonly List<string> arrived = [];
        private readonly Dictionary<string, TaskCompletionSource<HttpStatusCode>> held = [];
        private readonly Dictionary<int, TaskCompletionSource> reached = [];
        private int atOnce;
        private readonly Dictionary<string, int> mostAtOnce = [];

        public List<string> Arrived
        {
            get
            {
                lock (gate)
                {
                    return [.. arrived];
                }
            }
        }

        public void Answer(string row, HttpStatusCode status = HttpStatusCode.NoContent)
        {
            lock (gate)
            {
                held[row].SetResult(status);
            }
        }

        /// <summary>Completes once <paramref name="count"/> requests have arrived; fails if they do not within 30 s (a request stuck in the queue).</summary>
        public Task Reached(int count)
        {
            lock (gate)
            {
                var signal = arrived.Count >= count ? Task.CompletedTask : (reached.TryGetValue(count, out var waiting) ? waiting : reached[count] = new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                return signal.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        /// <summary>The most requests at the service at once, not counting <paramref name="passed"/>.</summary>
        public int MostAtOnceBesides(string passed)
        {
            lock (gate)
            {
                return mostAtOnce.Where(m => m.Key != passed).Max(m => m.Value);
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var row = RowOf(request.RequestUri!);
            TaskCompletionSource<HttpStatusCode> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate)
            {
                arrived.Add(row);
                held[row] = answer;
                if (row != "mark")
                {
                    mostAtOnce[row] = ++atOnce;
                }

                if (reached.Remove(arrived.Count, out var signal))
                {
                    signal.SetResult();
                }
            }

            var status = await answer.Task;
            lock (gate)
            {
                atOnce -= row == "mark" ? 0 : 1;
            }

            var response = new HttpResponseMessage(status) { RequestMessage = request };
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"1\"", isWeak: true);
            return response;
        }

        private static string RowOf(Uri uri) => Uri.UnescapeDataString(uri.AbsolutePath).Split("RowKey='")[1].Split('\'')[0];
    }
}
