namespace Gatehouse.Engine.Geo;

/// <summary>
/// A set of countries as a bitset over the 676 possible two-letter codes, so that asking whether
/// a country is in a jurisdiction is one bit test: no string hashing, no memory beyond 88 bytes.
/// </summary>
public sealed class CountrySet
{
    private const int Letters = 26;
    private readonly ulong[] _bits = new ulong[(Letters * Letters + 63) / 64];

    public CountrySet(IEnumerable<string> codes)
    {
        foreach (var code in codes)
        {
            if (IndexOf(code) is var index and >= 0)
            {
                _bits[index >> 6] |= 1UL << index;
            }
        }
    }

    /// <summary>Every two-letter code.</summary>
    public static CountrySet Everything { get; } = new(Enumerable.Range(0, Letters * Letters).Select(i => $"{(char)('A' + i / Letters)}{(char)('A' + i % Letters)}"));

    /// <summary>False for <see cref="None"/>.</summary>
    public bool Contains(int index) => index >= 0 && (_bits[index >> 6] & (1UL << index)) != 0;

    /// <summary>Stands for a missing or malformed code.</summary>
    public const int None = -1;

    /// <summary>The position of an upper-case two-letter code, or <see cref="None"/>.</summary>
    public static int IndexOf(string? code) =>
        code is [var first, var second] && char.IsAsciiLetterUpper(first) && char.IsAsciiLetterUpper(second)
            ? (first - 'A') * Letters + (second - 'A')
            : None;
}
