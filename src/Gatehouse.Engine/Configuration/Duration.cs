using System.Globalization;

namespace Gatehouse.Engine.Configuration;

/// <summary>Durations written by people: <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>, <c>7d</c>.</summary>
public static class Duration
{
    private static readonly (string Unit, TimeSpan Length)[] Units =
    [
        ("d", TimeSpan.FromDays(1)),
        ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }
        if (digits == 0 || !int.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        var unit = span[digits..].ToString();
        foreach (var (name, length) in Units)
        {
            if (name == unit)
            {
                duration = length * number;
                return true;
            }
        }
        return false;
    }

    /// <summary>The shortest exact form in the same notation, e.g. <c>90s</c>, <c>2h</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        foreach (var (name, length) in Units)
        {
            if (duration.Ticks % length.Ticks == 0)
            {
                return $"{duration.Ticks / length.Ticks}{name}";
            }
        }
        return $"{duration.TotalMilliseconds}ms";
    }
}
