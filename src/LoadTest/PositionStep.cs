namespace MarginOrleans.LoadTest;

/// <summary>
/// The commands `--position-commands` sends to every open position before the walk, one kind at a
/// time, so each kind's storage operations per command are counted under load. They leave each
/// position as it was opened (margin added then removed, orders set then cleared), except the
/// close, after which the position is opened again at the mark. When the run pays funding, half the
/// margin is removed: the payment the add settled leaves less than all of it removable.
/// </summary>
public enum PositionStep
{
    AddMargin,
    SetTakeProfitStopLoss,
    ClearTakeProfitStopLoss,
    RemoveMargin,
    Close,
    Reopen,
}

/// <summary>One step's figures: commands sent, their time, and the storage operations the silos counted meanwhile.</summary>
public sealed record StepFigure(PositionStep Step, int Commands, double Seconds, double StorageOperationsEach, Dictionary<string, double> ByKind, bool SettlesFunding = false)
{
    public string Name => NameOf(Step) + (SettlesFunding ? ", settling a funding payment" : "");

    /// <summary>What a step sends, as the report names it.</summary>
    public static string NameOf(PositionStep step) => step switch
    {
        PositionStep.AddMargin => "add margin",
        PositionStep.SetTakeProfitStopLoss => "set take-profit and stop-loss",
        PositionStep.ClearTakeProfitStopLoss => "clear take-profit and stop-loss",
        PositionStep.RemoveMargin => "remove margin",
        PositionStep.Close => "close",
        _ => "open again",
    };

    /// <summary>The take-profit and stop-loss the set step places: far outside the walk (10,000 down to 7,800), so neither fires.</summary>
    public static readonly (decimal TakeProfit, decimal StopLoss) Orders = (LoadMarket.Start * 1.5m, LoadMarket.Start * 0.5m);

    /// <summary>The margin added and then removed (half of it when the run pays funding).</summary>
    public const decimal Margin = 1m;
}
