using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace MarginOrleans.Gateway;

/// <summary>
/// Parses request fields, refusing malformed input with InvalidArgument and the field's name.
/// Decimals must be plain digits with an optional sign and point: no exponent, no NaN, and few
/// enough digits that no later product can overflow. Every pattern is anchored at the true end
/// (<c>\z</c>: a <c>$</c> also matches before a final newline, which let "1\n" through).
/// </summary>
public static partial class Fields
{
    public static decimal Decimal(string text, string field) =>
        OptionalDecimal(text, field) ?? throw Invalid(field, "is required");

    /// <summary>A required amount above zero, to settlement precision (8 places).</summary>
    public static decimal PositiveDecimal(string text, string field)
    {
        var value = Decimal(text, field);
        return value > 0m && value * 100_000_000m == decimal.Truncate(value * 100_000_000m)
            ? value
            : throw Invalid(field, $"{value} must be positive, with at most 8 decimals");
    }

    public static decimal? OptionalDecimal(string text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!DecimalPattern().IsMatch(text))
        {
            throw Invalid(field, $"'{Shorten(text)}' is not a decimal number (digits, optional '-' and '.', at most 15 before and 12 after the point)");
        }

        return decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A time in RFC 3339 (2026-12-03T08:00:00Z, or with an offset); empty, or before 1970 (a table
    /// holds no earlier time): from the first.
    /// </summary>
    public static DateTimeOffset Since(string text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DateTimeOffset.UnixEpoch;
        }

        return TimePattern().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? (time < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : time)
            : throw Invalid(field, $"'{Shorten(text)}' is not an RFC 3339 time such as 2026-12-03T08:00:00Z");
    }

    /// <summary>A page token this gateway gave out (the next journal sequence); empty: the first page.</summary>
    public static long PageToken(string text) =>
        string.IsNullOrEmpty(text) ? 1
        : PageTokenPattern().IsMatch(text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence
        : throw Invalid("page_token", "must be empty or the next_page_token of the page before");

    public static string RequestId(string text) =>
        !RequestIdPattern().IsMatch(text) ? throw Invalid("request_id", "is required: 1 to 64 printable ASCII characters without spaces, unique per command")
        : text.StartsWith(Accounts.EngineRequestIds.Prefix, StringComparison.Ordinal) ? throw Invalid("request_id", $"ids starting with '{Accounts.EngineRequestIds.Prefix}' are the engine's own")
        : text;

    /// <summary>A market symbol in any case (btc-usdt is BTC-USDT): 3 to 20 letters, digits or '-'.</summary>
    public static string Symbol(string text) =>
        SymbolPattern().IsMatch(text) ? text.ToUpperInvariant() : throw Invalid("symbol", "is required: 3 to 20 letters, digits or '-', e.g. BTC-USDT");

    /// <summary>A short name (a price source): 1 to 32 letters, digits, '-' or '_'.</summary>
    public static string Name(string text, string field) =>
        NamePattern().IsMatch(text) ? text : throw Invalid(field, "must be 1 to 32 letters, digits, '-' or '_'");

    public static string AccountId(string text) =>
        AccountIdPattern().IsMatch(text) ? text : throw Invalid("account_id", "must be 1 to 40 letters, digits, '-' or '_'");

    public static Markets.PositionSide Side(Api.V1.Side side) => side switch
    {
        Api.V1.Side.Long => Markets.PositionSide.Long,
        Api.V1.Side.Short => Markets.PositionSide.Short,
        _ => throw Invalid("side", "must be SIDE_LONG or SIDE_SHORT"),
    };

    /// <summary>The leg a request names; unspecified is BOTH, so a one-way client need not know legs exist.</summary>
    public static Positions.LegSide Leg(Api.V1.PositionSide side) => side switch
    {
        Api.V1.PositionSide.Unspecified or Api.V1.PositionSide.Both => Positions.LegSide.Both,
        Api.V1.PositionSide.Long => Positions.LegSide.Long,
        Api.V1.PositionSide.Short => Positions.LegSide.Short,
        _ => throw Invalid("position_side", "must be POSITION_SIDE_BOTH, POSITION_SIDE_LONG or POSITION_SIDE_SHORT"),
    };

    public static Accounts.PositionMode PositionMode(Api.V1.PositionMode mode) => mode switch
    {
        Api.V1.PositionMode.OneWay => Accounts.PositionMode.OneWay,
        Api.V1.PositionMode.Hedge => Accounts.PositionMode.Hedge,
        _ => throw Invalid("position_mode", "must be POSITION_MODE_ONE_WAY or POSITION_MODE_HEDGE"),
    };

    public static Markets.MarginMode Mode(Api.V1.MarginMode mode) => mode switch
    {
        Api.V1.MarginMode.Isolated => Markets.MarginMode.Isolated,
        Api.V1.MarginMode.Cross => Markets.MarginMode.Cross,
        _ => throw Invalid("margin_mode", "must be MARGIN_MODE_ISOLATED or MARGIN_MODE_CROSS"),
    };

    /// <summary>InvalidArgument with the field's violation as <c>google.rpc.BadRequest</c> (grpc-dotnet's Error example).</summary>
    public static RpcException Invalid(string field, string description) => ErrorDetails.Exception(
        StatusCode.InvalidArgument, $"{field}: {description}", ErrorDetails.InvalidField,
        Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } }));

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^-?[0-9]{1,15}(\.[0-9]{1,12})?\z")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,40}\z")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,32}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[\x21-\x7E]{1,64}\z")]
    private static partial Regex RequestIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9-]{3,20}\z")]
    private static partial Regex SymbolPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})\z")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^[1-9][0-9]{0,17}\z")]
    private static partial Regex PageTokenPattern();
}
