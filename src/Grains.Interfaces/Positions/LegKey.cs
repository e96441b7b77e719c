using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarginOrleans.Positions;

/// <summary>
/// What names a position within its account: the symbol and the leg. Its text is the symbol for
/// <see cref="LegSide.Both"/> (the form stored before there were legs, so stored keys and request
/// fingerprints still match) and "symbol/LONG" or "symbol/SHORT" for a hedge leg. Symbols hold no '/'.
/// A bare symbol converts to its one-way leg.
/// </summary>
[GenerateSerializer, Immutable, Alias("LegKey"), JsonConverter(typeof(LegKeyText))]
public readonly record struct LegKey([property: Id(0)] string Symbol, [property: Id(1)] LegSide Side)
{
    public static LegKey Both(string symbol) => new(symbol, LegSide.Both);

    public static implicit operator LegKey(string symbol) => Both(symbol);

    public static LegKey Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? Both(text)
            : new LegKey(text[..slash], Enum.Parse<LegSide>(text[(slash + 1)..], ignoreCase: true));
    }

    public override string ToString() => Side == LegSide.Both ? Symbol : $"{Symbol}/{Side.ToString().ToUpperInvariant()}";
}

/// <summary>A leg key in JSON is its text.</summary>
public sealed class LegKeyText : JsonConverter<LegKey>
{
    public override LegKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => LegKey.Parse(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, LegKey value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
