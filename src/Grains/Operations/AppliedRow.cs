namespace MarginOrleans.Operations;

/// <summary>
/// One row of a fund's applied, unconfirmed transfers: those one fund write stored, less those
/// confirmed since (a row stored before holds one transfer alone), tagged with the number of that
/// write (<see cref="Storage.FundRows"/>). No transfers left: the row is deleted.
/// </summary>
public sealed record AppliedRow(string Key, long Commit, Dictionary<string, decimal> Transfers);
