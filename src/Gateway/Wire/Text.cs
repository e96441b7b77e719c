using System.Globalization;

namespace MarginOrleans.Gateway.Wire;

public static class Text
{
    /// <summary>A decimal as the API's decimal string, without trailing zeros: 2000.50000000 → "2000.5".</summary>
    public static string Of(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    public static string Of(decimal? value) => value is { } v ? Of(v) : "";

    public static string Of(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
