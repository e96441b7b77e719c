namespace MarginOrleans.Operations;

/// <summary>
/// How far the audit's pass has come, saved after each directory partition it counts: a caller
/// asking again after the audit's silo died resumes the pass there instead of asking every account
/// again (an audit of cold accounts takes minutes, and a silo dying every 20 s cut it again and
/// again). Kept for <see cref="AuditGrain.ResumeWithin"/> of the engine's clock; an older one is
/// a pass nobody waits for, and the next audit starts afresh.
/// </summary>
[GenerateSerializer, Alias("AuditProgress")]
public sealed class AuditProgress
{
    [Id(0)] public int Pass { get; set; } = 1;

    /// <summary>The funds as read before the pass's first account.</summary>
    [Id(1)] public List<FundAudit> Before { get; set; } = [];

    [Id(2)] public AuditCount Count { get; set; } = new();

    /// <summary>The directory partitions counted, in <see cref="Storage.AccountDirectory.Parts"/> order.</summary>
    [Id(3)] public int PartsCounted { get; set; }

    [Id(4)] public DateTimeOffset Saved { get; set; }
}

/// <summary>How often a pass saves its progress, in real time: a pass shorter than that costs less to count again than to save.</summary>
public sealed record AuditCadence(TimeSpan SaveEvery)
{
    public static readonly AuditCadence Default = new(TimeSpan.FromSeconds(1));
}
