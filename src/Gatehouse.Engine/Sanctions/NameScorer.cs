using System.Collections.Frozen;

namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// How similar a screened name is to one listed name, in [0, 1], weighing each word by how
/// much it tells parties on the loaded lists apart. The index and the exhaustive scan the tests
/// and benchmarks compare it with both score through here.
/// </summary>
/// <remarks>
/// <para>Both names are normalised (<see cref="NameNormalizer"/>) into words <c>q₁…qₙ</c> (the
/// query) and <c>l₁…lₖ</c> (the listed name). Word similarity is
/// <c>s(q, l) = JW(q, l) − </c><see cref="LengthPenalty"/><c> · | |q| − |l| | / max(|q|, |l|)</c>
/// (<see cref="JaroWinkler"/>), when the shorter word has at least two thirds of the longer one's
/// letters and the two share a third of the shorter one's letter pairs (<see cref="LetterPairs"/>),
/// and 0 otherwise: Jaro-Winkler alone rates <c>al</c> against <c>alhamd</c> at 0.87 and
/// <c>abcdef</c> against <c>badcfe</c> at 0.83. Words are paired one to one, best first: the most
/// similar remaining pair with <c>s ≥ </c><see cref="WordFloor"/> is taken until none is left, so
/// word order plays no part (and a similarity below the floor is as good as 0).</para>
/// <para>Each word weighs <c>w(t) = ln(1 + N / df(t))</c>, with <c>N</c> the number of listed
/// entries and <c>df(t)</c> the number of entries having the word in one of their names (IDF):
/// "al", "bank" or "trading" weigh a third of a surname found once. A query word not on the lists
/// weighs as one found once: unknown words are the most telling. Then</para>
/// <code>
///            Σ_pairs 2 · w(q) · s(q, l)
/// score = ──────────────────────────────────────────────────────────────
///         Σ_pairs 2 · w(q)  +  Σ_unpaired q  w(q)  +  λ · Σ_unpaired l  w(l)
/// </code>
/// <para>A pair counts its query word's weight on both sides, so an exact match of every word
/// scores 1 and the score cannot exceed <c>2(W − U) / (2W − U)</c> when query words of weight
/// <c>U</c> out of <c>W</c> find no partner, which is what lets the index skip names sharing no rare
/// word with the query. Unpaired query words count fully (the caller said them); unpaired listed
/// words count with <c>λ = </c><see cref="UnpairedListWordCharge"/>, since lists give full names
/// with middle names and second surnames that callers leave out. A country is no part of this
/// score (see <see cref="SanctionsIndex.CountryBonus"/>).</para>
/// </remarks>
internal sealed class NameScorer
{
    /// <summary>Word pairs less similar than this do not pair: they count as two unmatched words.</summary>
    public const double WordFloor = 0.85;

    /// <summary>
    /// What a difference in length costs a word pair, per share of the longer word: Jaro-Winkler
    /// rates a word against a longer one that contains it highly (<c>said</c> against
    /// <c>shahid</c> 0.90), though such pairs are more often different names than misspellings.
    /// </summary>
    public const double LengthPenalty = 0.2;

    /// <summary>λ: the share of its weight an unpaired word of the listed name costs.</summary>
    public const double UnpairedListWordCharge = 0.25;

    private readonly string[] _words;
    // The words again, end to end in id order: similar words have neighbouring ids, so comparing
    // a query word with them reads one stretch of memory instead of a string object each.
    private readonly char[] _letters;
    private readonly int[] _letterStart;
    private readonly int[][] _pairs;
    private readonly double[] _weights;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ids;

    /// <param name="words">The distinct words of the listed names, in the order of their ids.</param>
    /// <param name="entryFrequency">For each word, how many entries have it.</param>
    /// <param name="entries">How many entries there are.</param>
    public NameScorer(string[] words, int[] entryFrequency, int entries)
    {
        _words = words;
        _letterStart = new int[words.Length + 1];
        for (var i = 0; i < words.Length; i++)
        {
            _letterStart[i + 1] = _letterStart[i] + words[i].Length;
        }
        _letters = string.Concat(words).ToCharArray();
        _pairs = Array.ConvertAll(words, LetterPairs.Of);
        _weights = new double[words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            _weights[i] = Idf(entries, entryFrequency[i]);
        }
        UnknownWordWeight = Idf(entries, 1);
        _ids = words.Select((w, i) => KeyValuePair.Create(w, i)).ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private static double Idf(int entries, int frequency) => Math.Log(1 + (double)Math.Max(entries, 1) / Math.Max(frequency, 1));

    public int WordCount => _words.Length;

    public double UnknownWordWeight { get; }

    public string Word(int id) => _words[id];

    public ReadOnlySpan<char> Letters(int id) => _letters.AsSpan(_letterStart[id], _letterStart[id + 1] - _letterStart[id]);

    public int[] Pairs(int id) => _pairs[id];

    /// <summary>
    /// Whether two word lengths may pair at all: the shorter has at least two thirds of the
    /// longer's letters. The index narrows its search of similar words to these lengths.
    /// </summary>
    public static bool LengthsComparable(int a, int b) => 3 * Math.Min(a, b) >= 2 * Math.Max(a, b);

    /// <summary><c>s(q, l)</c> of two words (see the remarks on the class).</summary>
    public static double WordSimilarity(string query, string listed) =>
        WordSimilarity(query, LetterPairs.Of(query), listed, LetterPairs.Of(listed));

    /// <summary><c>s(qᵢ, l)</c> of a prepared query's word and a listed word.</summary>
    public double WordSimilarity(Query query, int queryWord, int listedWord) =>
        WordSimilarity(query.Words[queryWord], query.Pairs[queryWord], Letters(listedWord), _pairs[listedWord]);

    private static double WordSimilarity(ReadOnlySpan<char> query, int[] queryPairs, ReadOnlySpan<char> listed, int[] listedPairs) =>
        LengthsComparable(query.Length, listed.Length) &&
        LetterPairs.Shared(queryPairs, listedPairs) >= LetterPairs.Required(query.Length, listed.Length)
            ? Resemblance(query, listed)
            : 0;

    /// <summary>
    /// <c>s(q, l)</c> for two words known to pass the length and letter-pair tests: Jaro-Winkler,
    /// less <see cref="LengthPenalty"/> times the share of the longer word the shorter lacks.
    /// </summary>
    /// <remarks>Values below <see cref="WordFloor"/> pair with nothing, so they are not worked out exactly: any of them may come back as 0.</remarks>
    public static double Resemblance(ReadOnlySpan<char> query, ReadOnlySpan<char> listed)
    {
        var penalty = LengthPenalty * Math.Abs(query.Length - listed.Length) / Math.Max(query.Length, listed.Length);
        return Math.Max(0, JaroWinkler.Similarity(query, listed, WordFloor + penalty) - penalty);
    }

    /// <summary>A screened name as the scorer reads it: its words, their ids (−1 when not on the lists) and weights.</summary>
    public Query Prepare(string name)
    {
        var words = NameNormalizer.Analyze(name).Tokens;
        var ids = new int[words.Length];
        var weights = new double[words.Length];
        var total = 0.0;
        for (var i = 0; i < words.Length; i++)
        {
            ids[i] = _ids.TryGetValue(words[i], out var id) ? id : -1;
            weights[i] = ids[i] >= 0 ? _weights[ids[i]] : UnknownWordWeight;
            total += weights[i];
        }
        return new Query(words, Array.ConvertAll(words, LetterPairs.Of), ids, weights, total);
    }

    /// <summary>The score of a listed name (its word ids), comparing the words directly.</summary>
    public double Score(Query query, ReadOnlySpan<int> listed) => Score(query, listed, new Direct(this, query));

    /// <summary>The score of a listed name, taking word similarities from <paramref name="similarity"/>.</summary>
    public double Score<TSimilarity>(Query query, ReadOnlySpan<int> listed, TSimilarity similarity)
        where TSimilarity : IWordSimilarity
    {
        var rows = query.Words.Length;
        var columns = listed.Length;
        var cells = rows * columns;
        Span<double> similarities = cells <= 256 ? stackalloc double[cells] : new double[cells];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                similarities[i * columns + j] = similarity.Similarity(i, listed[j]);
            }
        }

        Span<bool> queryPaired = rows <= 64 ? stackalloc bool[rows] : new bool[rows];
        Span<bool> listedPaired = columns <= 64 ? stackalloc bool[columns] : new bool[columns];
        var numerator = 0.0;
        var pairedWeight = 0.0;
        while (true)
        {
            var best = -1;
            var bestSimilarity = WordFloor;
            for (var cell = 0; cell < cells; cell++)
            {
                if (similarities[cell] >= bestSimilarity && (best < 0 || similarities[cell] > bestSimilarity) &&
                    !queryPaired[cell / columns] && !listedPaired[cell % columns])
                {
                    best = cell;
                    bestSimilarity = similarities[cell];
                }
            }
            if (best < 0)
            {
                break;
            }
            var row = best / columns;
            queryPaired[row] = true;
            listedPaired[best % columns] = true;
            numerator += 2 * query.Weights[row] * bestSimilarity;
            pairedWeight += query.Weights[row];
        }
        if (pairedWeight == 0)
        {
            return 0;
        }

        var unpairedListed = 0.0;
        for (var j = 0; j < columns; j++)
        {
            if (!listedPaired[j])
            {
                unpairedListed += _weights[listed[j]];
            }
        }
        var denominator = 2 * pairedWeight + (query.TotalWeight - pairedWeight) + UnpairedListWordCharge * unpairedListed;
        return Math.Min(1, numerator / denominator);
    }

    /// <summary>
    /// The most weight of query words that may go unpaired in a name scoring at least
    /// <paramref name="threshold"/>: <c>U ≤ 2W(1 − θ) / (2 − θ)</c> (see the remarks on the class).
    /// </summary>
    public static double MaxUnpairedWeight(Query query, double threshold) => 2 * query.TotalWeight * (1 - threshold) / (2 - threshold);

    /// <summary>A screened name, prepared once and scored against many listed names.</summary>
    internal sealed record Query(string[] Words, int[][] Pairs, int[] Ids, double[] Weights, double TotalWeight);

    /// <summary>Where the scorer takes <c>s(qᵢ, l)</c> from: computed, or looked up by the index.</summary>
    internal interface IWordSimilarity
    {
        double Similarity(int queryWord, int listedWord);
    }

    private readonly struct Direct(NameScorer scorer, Query query) : IWordSimilarity
    {
        public double Similarity(int queryWord, int listedWord) => scorer.WordSimilarity(query, queryWord, listedWord);
    }
}
