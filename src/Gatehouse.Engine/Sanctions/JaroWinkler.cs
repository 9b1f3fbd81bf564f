namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// The Jaro-Winkler similarity of two words, in [0, 1]: the measure record-linkage work settled
/// on for personal names, because it forgives the transposed and dropped letters of typing and
/// transliteration and rewards a shared beginning, where names vary least.
/// </summary>
/// <remarks>
/// Jaro: with <c>m</c> the characters of each word that match one of the other's no further than
/// <c>max(|a|, |b|) / 2 − 1</c> positions away, and <c>t</c> half the matched characters that appear in
/// a different order, <c>J = (m/|a| + m/|b| + (m − t)/m) / 3</c>, or 0 when <c>m</c> is 0. Winkler:
/// when <c>J &gt; 0.7</c>, <c>JW = J + ℓ · 0.1 · (1 − J)</c> with <c>ℓ</c> the common prefix up to 4.
/// The matching pass walks the shorter word (the first, in ordinal order, when the lengths are equal),
/// so that the result does not depend on argument order. Nothing is allocated for words up to
/// 1,024 characters.
/// </remarks>
internal static class JaroWinkler
{
    private const double PrefixScale = 0.1;
    private const int MaxPrefix = 4;
    private const double BoostThreshold = 0.7;

    public static double Similarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b) => Similarity(a, b, 0);

    /// <summary>
    /// The similarity when it is at least <paramref name="minimum"/>; otherwise some value below
    /// it (0 when the matching pass stops early, once too few characters are left to match).
    /// </summary>
    public static double Similarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b, double minimum)
    {
        if (a.SequenceEqual(b))
        {
            return 1;
        }
        if (a.IsEmpty || b.IsEmpty)
        {
            return 0;
        }
        if (a.Length > b.Length || (a.Length == b.Length && a.SequenceCompareTo(b) > 0))
        {
            var swap = a;
            a = b;
            b = swap;
        }

        // Which characters have matched, one bit each: words are short, so this is a register or two.
        var window = Math.Max(0, b.Length / 2 - 1);
        Span<ulong> aMatched = a.Length <= 1024 ? stackalloc ulong[(a.Length + 63) >> 6] : new ulong[(a.Length + 63) >> 6];
        Span<ulong> bMatched = b.Length <= 1024 ? stackalloc ulong[(b.Length + 63) >> 6] : new ulong[(b.Length + 63) >> 6];
        var needed = MatchesNeeded(a, b, minimum);
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (matches + a.Length - i < needed)
            {
                return 0;
            }
            var end = Math.Min(b.Length, i + window + 1);
            for (var j = Math.Max(0, i - window); j < end; j++)
            {
                if (a[i] == b[j] && (bMatched[j >> 6] & (1UL << j)) == 0)
                {
                    aMatched[i >> 6] |= 1UL << i;
                    bMatched[j >> 6] |= 1UL << j;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0)
        {
            return 0;
        }

        var outOfOrder = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if ((aMatched[i >> 6] & (1UL << i)) != 0)
            {
                while ((bMatched[k >> 6] & (1UL << k)) == 0)
                {
                    k++;
                }
                if (a[i] != b[k])
                {
                    outOfOrder++;
                }
                k++;
            }
        }

        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - outOfOrder / 2.0) / m) / 3;
        if (jaro <= BoostThreshold)
        {
            return jaro;
        }
        var prefix = 0;
        var prefixLimit = Math.Min(MaxPrefix, a.Length);
        while (prefix < prefixLimit && a[prefix] == b[prefix])
        {
            prefix++;
        }
        return jaro + prefix * PrefixScale * (1 - jaro);
    }

    /// <summary>
    /// The fewest matching characters with which <paramref name="a"/> (the shorter) and
    /// <paramref name="b"/> can reach <paramref name="minimum"/>: with their common prefix
    /// <c>ℓ</c> fixed, <c>JW ≥ minimum</c> needs <c>J ≥ (minimum − 0.1ℓ) / (1 − 0.1ℓ)</c> (and above
    /// 0.7 for the prefix to count at all), and <c>J ≤ (m/|a| + m/|b| + 1) / 3</c>.
    /// </summary>
    private static int MatchesNeeded(ReadOnlySpan<char> a, ReadOnlySpan<char> b, double minimum)
    {
        if (minimum <= BoostThreshold)
        {
            return 0;
        }
        var prefix = 0;
        var prefixLimit = Math.Min(MaxPrefix, a.Length);
        while (prefix < prefixLimit && a[prefix] == b[prefix])
        {
            prefix++;
        }
        var jaro = Math.Max(BoostThreshold, (minimum - prefix * PrefixScale) / (1 - prefix * PrefixScale));
        // A hair under the exact bound, so that rounding never turns away a pair that reaches it.
        return (int)Math.Ceiling((3 * jaro - 1) * a.Length * b.Length / (a.Length + b.Length) - 1e-9);
    }
}
