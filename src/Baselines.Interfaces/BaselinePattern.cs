namespace MarginOrleans.Baselines;

/// <summary>
/// The peers' patterns for reaching positions with a tick, measured beside the trigger index on
/// the same positions in the same cluster. Not part of the engine: positions here
/// hold only a liquidation price in memory, so the figures compare how ticks reach them.
/// </summary>
public enum BaselinePattern
{
    /// <summary>Every position subscribed to its symbol's Orleans stream, checking each tick (the common Orleans pattern).</summary>
    Stream = 1,

    /// <summary>A daemon that checks every position on each tick (dYdX's liquidation daemon).</summary>
    Scan = 2,

    /// <summary>This engine's trigger index: only the positions a tick crosses are woken.</summary>
    Index = 3,
}
