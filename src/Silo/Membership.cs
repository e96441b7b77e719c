using Orleans.Configuration;

namespace MarginOrleans.Silo;

/// <summary>
/// How fast the silos agree that one of them died, and how little a busy silo risks being taken
/// for dead. A dead silo's grains answer nothing until it is declared dead; Orleans' defaults
/// (a 5 s probe, a 30 s I-am-alive row, a 60 s table read) made a silo kill cost 6–14 s through
/// the gateway. Explained, with the measured figures, in docs/architecture.md ("Cluster processes").
/// </summary>
public static class Membership
{
    public static void Configure(ClusterMembershipOptions options)
    {
        // A probe every 2 s (Orleans adapts it between 1 s and 8 s by the replies it sees) and three
        // missed in a row: a dead silo is suspected after about 4–6 s. Not lower: a 2-core box under a
        // load run answers a probe in well under 2 s, and three misses in a row are needed anyway.
        options.ProbeTimeout = TimeSpan.FromSeconds(2);
        options.NumMissedProbesLimit = 3;

        // Two votes, as by default: the last of the three probes goes through another silo, and when
        // that one cannot reach the suspect either, both vote at once — one silo alone never evicts.
        options.NumVotesForDeathDeclaration = 2;

        // A vote counts this long: longer than the 6 s a suspicion takes, short enough that two
        // unrelated hiccups minutes apart never add up to an eviction.
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);

        // Each silo writes its I-am-alive row every 10 s (a row older than 3 × 10 s is stale, which is
        // how a whole-cluster restart sees past the rows of the killed silos) and re-reads the table
        // every 10 s in case a gossip message was lost: one write and one read per silo per 10 s.
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        options.TableRefreshTimeout = TimeSpan.FromSeconds(10);

        // Dead rows of past runs are removed after a day, not a week: every restart adds one.
        options.DefunctSiloExpiration = TimeSpan.FromDays(1);
    }
}
