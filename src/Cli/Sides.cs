using System.CommandLine;

namespace MarginOrleans.Cli;

/// <summary>The CLI's words for an order's side: long or short, buy and sell saying the same.</summary>
public static class Sides
{
    public static Api.V1.Side Parse(string side) => side.ToLowerInvariant() switch
    {
        "long" or "buy" => Api.V1.Side.Long,
        _ => Api.V1.Side.Short, // the argument's validator let nothing else through
    };

    /// <summary>A side it does not know is refused before anything is sent.</summary>
    public static Argument<string> Argument()
    {
        var side = new Argument<string>("side") { Description = "long or short (buy and sell say the same)" };
        side.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not { } s || s.ToLowerInvariant() is not ("long" or "short" or "buy" or "sell"))
            {
                r.AddError($"side must be long or short (or buy / sell), not '{r.GetValueOrDefault<string>()}'");
            }
        });
        return side;
    }
}
