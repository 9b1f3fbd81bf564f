using System.Globalization;
using System.Net;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Networking;

namespace Gatehouse.Engine.Policy;

/// <summary>
/// Condition values as policies write them: what is wrong with one (a message, or null when it
/// is fine) and its parsed form. The parser reports every problem before converting anything.
/// </summary>
internal static class ConditionValues
{
    public static string? StringProblem(string value, ConditionKey key, ConditionOperator op)
    {
        if (value.Contains("${", StringComparison.Ordinal))
        {
            return $"'{value}': policy variables (${{…}}) are not supported";
        }
        if (op.Comparison == Comparison.Like)
        {
            return null;
        }
        var ignoreCase = op.Comparison == Comparison.EqualIgnoreCase;
        return key.ValueKind switch
        {
            ConditionValueKind.Country when !IsCountryCode(value, ignoreCase) =>
                $"'{value}' is not a country code: use ISO 3166-1 alpha-2 codes in upper case, e.g. DE",
            ConditionValueKind.NetworkType when !IsNetworkTypeName(value, ignoreCase) =>
                $"'{value}' is not a network type: use residential, hosting, vpn, tor, private or unknown",
            _ => null,
        };
    }

    private static bool IsCountryCode(string value, bool ignoreCase) =>
        value is [var a, var b] && (ignoreCase ? char.IsAsciiLetter(a) && char.IsAsciiLetter(b) : char.IsAsciiLetterUpper(a) && char.IsAsciiLetterUpper(b));

    private static bool IsNetworkTypeName(string value, bool ignoreCase) =>
        Enum.GetValues<NetworkType>().Any(t => string.Equals(NetworkTypes.NameOf(t), value, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static string? NumberProblem(string text) =>
        decimal.TryParse(text, NumberStyle, CultureInfo.InvariantCulture, out _) ? null : $"'{text}' is not a number";

    public static decimal ParseNumber(string text) => decimal.Parse(text, NumberStyle, CultureInfo.InvariantCulture);

    public static string? DateProblem(string text) =>
        TryParseDate(text, out _) ? null : $"'{text}' is not a date: use ISO 8601 (2026-11-24T09:00:00Z) or seconds since 1970";

    public static long ParseDate(string text) => TryParseDate(text, out var ticks) ? ticks : throw new FormatException(text);

    /// <summary>
    /// ISO 8601 (<c>2026-11-24</c>, <c>2026-11-24T09:00:00Z</c>, with an offset or without one,
    /// which means UTC) or whole seconds since 1970-01-01 UTC, as IAM accepts; as UTC ticks.
    /// </summary>
    public static bool TryParseDate(string text, out long utcTicks)
    {
        utcTicks = 0;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                return false;
            }
            utcTicks = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcTicks;
            return true;
        }
        // DateTimeOffset.TryParse alone would also take "11/24/2026"; insist on the ISO shape's start.
        if (text.Length < 10 || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[3]) || text[4] != '-' || text[7] != '-')
        {
            return false;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return false;
        }
        utcTicks = instant.UtcTicks;
        return true;
    }

    public static string? NetworkProblem(string text) =>
        NetworkSet.TryParseNetwork(text, out _) ? null : $"'{text}' is not an IP address or CIDR network, e.g. 203.0.113.0/24 or 2001:db8::/32";

    public static IPNetwork ParseNetwork(string text) => NetworkSet.TryParseNetwork(text, out var network) ? network.Value : throw new FormatException(text);
}
