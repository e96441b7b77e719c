using System.CommandLine;
using MarginOrleans.Api.V1;

namespace MarginOrleans.Cli;

/// <summary>
/// The leg a position command names (`--position-side`, or `--leg`): in one-way mode the one net
/// leg, both (the default, as when left out); in hedge mode long or short, which sit side by side.
/// </summary>
public static class Legs
{
    /// <summary>A fresh option per command: System.CommandLine gives an option one parent.</summary>
    public static Option<string> Option()
    {
        var option = new Option<string>("--position-side", "--leg")
        {
            Description = "the leg: both (one-way mode, the default) or long / short (hedge mode)",
            DefaultValueFactory = _ => "both",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not { } leg || leg.ToLowerInvariant() is not ("long" or "short" or "both"))
            {
                r.AddError($"--position-side must be long, short or both, not '{r.GetValueOrDefault<string>()}'");
            }
        });
        return option;
    }

    /// <summary>The option's word as the API's enum (the validator let nothing else through).</summary>
    public static PositionSide Parse(string leg) => leg.ToLowerInvariant() switch
    {
        "long" => PositionSide.Long,
        "short" => PositionSide.Short,
        _ => PositionSide.Both,
    };

    /// <summary>A leg as the tables show it; unspecified is BOTH (a row with no position shows nothing).</summary>
    public static string Word(PositionSide leg) => leg switch
    {
        PositionSide.Long => "long",
        PositionSide.Short => "short",
        _ => "both",
    };

    public static string Word(PositionMode mode) => mode switch
    {
        PositionMode.Hedge => "hedge",
        PositionMode.OneWay => "one-way",
        _ => "",
    };

    /// <summary>How a line names a position: its symbol, and its leg when it is a hedge leg ("BTC-USDT long leg").</summary>
    public static string Name(string symbol, PositionSide leg) =>
        leg is PositionSide.Long or PositionSide.Short ? $"{symbol} {Word(leg)} leg" : symbol;
}
