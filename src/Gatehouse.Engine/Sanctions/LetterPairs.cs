namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// The distinct letter pairs of a word, its start and end counting as letters (<c>khan</c>:
/// <c>^k kh ha an n$</c>), as sorted numbers. Two words must share a third of the shorter one's
/// pairs before Jaro-Winkler is asked about them (<see cref="Required"/>): single typos keep all but
/// two or three pairs, while words that merely share scattered letters, which Jaro-Winkler can rate
/// above 0.8, share almost none. The same rule lets the index find every word that can pair with a
/// query word through a pair index, without comparing it with the whole vocabulary.
/// </summary>
internal static class LetterPairs
{
    /// <summary>Symbols per letter: 0 is the word boundary, 1–26 the letters, 27–36 the digits, 37–63 other characters by hash.</summary>
    public const int Symbols = 64;

    /// <summary>The number of different pair values, <c>Symbols²</c>.</summary>
    public const int Count = Symbols * Symbols;

    public static int[] Of(string word)
    {
        var pairs = new int[word.Length + 1];
        var previous = 0;
        for (var i = 0; i < word.Length; i++)
        {
            var symbol = Symbol(word[i]);
            pairs[i] = previous * Symbols + symbol;
            previous = symbol;
        }
        pairs[word.Length] = previous * Symbols;
        Array.Sort(pairs);
        var distinct = 0;
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i == 0 || pairs[i] != pairs[distinct - 1])
            {
                pairs[distinct++] = pairs[i];
            }
        }
        return distinct == pairs.Length ? pairs : pairs[..distinct];
    }

    /// <summary>How many pairs two sorted distinct pair lists share.</summary>
    public static int Shared(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int i = 0, j = 0, shared = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                shared++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return shared;
    }

    /// <summary>
    /// How many pairs two words of these lengths must share: a third of the shorter word's
    /// <c>length + 1</c> pairs, rounded up (one for words of up to two letters, two up to five,
    /// three up to eight…).
    /// </summary>
    public static int Required(int lengthA, int lengthB) => (Math.Min(lengthA, lengthB) + 3) / 3;

    private static int Symbol(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a' + 1,
        >= '0' and <= '9' => c - '0' + 27,
        _ => 37 + c % 27,
    };
}
