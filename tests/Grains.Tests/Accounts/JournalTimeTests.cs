using Azure.Data.Tables;

namespace MarginOrleans.Tests.Accounts;

/// <summary>
/// A journal row keeps its time as a DateTimeOffset; the funding history's filter reads it as a UTC
/// DateTime (Azure Table's query language has no DateTimeOffset getter). In memory storage the filter
/// runs as compiled code on the stored value: the same instant must come back.
/// </summary>
public sealed class JournalTimeTests
{
    [Fact]
    public void ARowsTime_ReadsBackAsTheSameUtcInstant()
    {
        var time = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal(new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc), new TableEntity("acc", "1") { ["Time"] = time }.GetDateTime("Time"));
    }
}
