using System.Collections.Concurrent;
using System.Numerics;

namespace Gatehouse.Engine.Sanctions;

/// <summary>A listed entry whose name resembles the screened one.</summary>
/// <param name="MatchedName">The entry's name (primary or alias) as the list writes it that scored best.</param>
/// <param name="Score">The name score in [0, 1] (see <see cref="SanctionsIndex"/>), plus <see cref="SanctionsIndex.CountryBonus"/> when the country matched, at most 1.</param>
/// <param name="CountryMatched">Whether the screened country is one the entry is tied to.</param>
public sealed record SanctionsMatch(SanctionsEntry Entry, string MatchedName, double Score, bool CountryMatched);

/// <summary>
/// The loaded sanctions lists, built once and frozen, answering "which listed parties is this
/// name like?" in tens of microseconds without scoring every listed name.
/// </summary>
/// <remarks>
/// <para>Names are scored by the weighted, order-free Jaro-Winkler measure documented on
/// <c>NameScorer</c>. Scoring each of the lists' tens of thousands of names costs milliseconds,
/// so the index scores only names that can reach the threshold, and returns exactly what scoring
/// every name would (<c>ScreenExhaustively</c>, which the tests hold it to).</para>
/// <para>The listed names' distinct words are indexed by their letter pairs (<c>WordGrams</c>),
/// which finds, for a query word, every listed word that can pair with it, and how well. A name
/// can reach a threshold <c>θ</c> only if the query words it leaves unpaired weigh no more than
/// <c>2W(1 − θ) / (2 − θ)</c> (<c>NameScorer.MaxUnpairedWeight</c>), so it must pair at least
/// one word of any set of query words weighing more than that. The index looks words up rarest
/// first until it has such a set whose similar words few names hold, walks those names, and skips
/// the ones that cannot pair enough of the words looked up; only the rest are scored. "Al" or
/// "trading" are never walked when the query has a rare word as well.</para>
/// <para>Immutable once built; <see cref="Screen"/> may be called from any number of threads. Each
/// screening in progress uses working arrays sized to the index (about 1 MB for the full lists),
/// kept for the next one.</para>
/// </remarks>
public sealed class SanctionsIndex
{
    /// <summary>
    /// The name score from which a party is reported, unless configured otherwise: one letter
    /// wrong in a two-word name, or a missing middle name, still reaches it; a different given
    /// name with the same surname does not.
    /// </summary>
    public const double DefaultThreshold = 0.90;

    /// <summary>
    /// What a matching country adds to a name's score, for ranking. It is added only to names that
    /// reached the threshold on their own, so a country never makes a match.
    /// </summary>
    public const double CountryBonus = 0.02;

    private readonly SanctionsEntry[] _entries;
    private readonly NameScorer _scorer;
    private readonly int[] _nameEntry;
    private readonly string[] _nameText;
    private readonly int[] _nameWordStart;
    private readonly int[] _nameWords;
    private readonly int[] _wordNameStart;
    private readonly int[] _wordNames;
    private readonly WordGrams _grams;
    // Working arrays for screenings in progress, taken and given back by each call: as many as
    // ever ran at once, rather than one per thread that ever screened.
    private readonly ConcurrentQueue<ScreeningScratch> _scratch = new();
    private readonly int _wordCount;

    private SanctionsIndex(SanctionsEntry[] entries)
    {
        _entries = entries;
        var names = DistinctNames(entries);
        var frequency = EntryFrequency(names);
        // Word ids in order of length, then spelling: a length range is a range of ids.
        var vocabulary = frequency.Keys.Order(WordOrder.Instance).ToArray();
        var ids = new Dictionary<string, int>(vocabulary.Length, StringComparer.Ordinal);
        for (var i = 0; i < vocabulary.Length; i++)
        {
            ids[vocabulary[i]] = i;
        }
        _scorer = new NameScorer(vocabulary, [.. vocabulary.Select(w => frequency[w])], entries.Length);

        _nameEntry = new int[names.Count];
        _nameText = new string[names.Count];
        _nameWordStart = new int[names.Count + 1];
        _nameWords = new int[names.Sum(n => n.Words.Length)];
        var wordNameCount = new int[vocabulary.Length + 1];
        for (var n = 0; n < names.Count; n++)
        {
            _nameEntry[n] = names[n].Entry;
            _nameText[n] = names[n].Text;
            var start = _nameWordStart[n];
            var words = names[n].Words;
            for (var i = 0; i < words.Length; i++)
            {
                _nameWords[start + i] = ids[words[i]];
                if (Array.IndexOf(words, words[i]) == i)
                {
                    wordNameCount[ids[words[i]]]++;
                }
            }
            _nameWordStart[n + 1] = start + words.Length;
        }
        _wordNameStart = Offsets(wordNameCount);
        _wordNames = new int[_wordNameStart[^1]];
        var fill = _wordNameStart[..^1];
        for (var n = 0; n < names.Count; n++)
        {
            var words = names[n].Words;
            for (var i = 0; i < words.Length; i++)
            {
                if (Array.IndexOf(words, words[i]) == i)
                {
                    _wordNames[fill[ids[words[i]]]++] = n;
                }
            }
        }
        _grams = new WordGrams(_scorer);
        _wordCount = vocabulary.Length;
    }

    /// <summary>Each entry's names with their words, less those that normalise to nothing or to another name of the same entry.</summary>
    private static List<(int Entry, string Text, string[] Words)> DistinctNames(SanctionsEntry[] entries)
    {
        var names = new List<(int Entry, string Text, string[] Words)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var e = 0; e < entries.Length; e++)
        {
            seen.Clear();
            foreach (var text in entries[e].Names)
            {
                var words = string.IsNullOrWhiteSpace(text) ? [] : NameNormalizer.Analyze(text).Tokens;
                // Aliases that normalise alike (case, punctuation, legal form) are one name to compare.
                if (words.Length > 0 && seen.Add(string.Join(' ', words)))
                {
                    names.Add((e, text, words));
                }
            }
        }
        return names;
    }

    /// <summary>For each word, how many entries have it in one of their names.</summary>
    private static Dictionary<string, int> EntryFrequency(List<(int Entry, string Text, string[] Words)> names)
    {
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastEntry = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (entry, _, words) in names)
        {
            foreach (var word in words)
            {
                // Names come entry by entry, so an entry's words are counted once each.
                if (!lastEntry.TryGetValue(word, out var last) || last != entry)
                {
                    lastEntry[word] = entry;
                    frequency[word] = frequency.GetValueOrDefault(word) + 1;
                }
            }
        }
        return frequency;
    }

    public static SanctionsIndex Empty { get; } = new([]);

    public static SanctionsIndex Build(IEnumerable<SanctionsEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new([.. entries]);
    }

    public int EntryCount => _entries.Length;

    /// <summary>The names compared: every entry's primary name and aliases, less those that normalise to nothing or to another of the same entry's names.</summary>
    public int NameCount => _nameEntry.Length;

    internal NameScorer Scorer => _scorer;

    /// <summary>
    /// The entries with a name scoring at least <paramref name="threshold"/> against
    /// <paramref name="name"/>, best first, each once (with its best name), at most
    /// <paramref name="limit"/>. <paramref name="country"/> (ISO 3166-1 alpha-2), when given, sets
    /// <see cref="SanctionsMatch.CountryMatched"/> and adds <see cref="CountryBonus"/> to the score of
    /// entries tied to it; it never decides whether an entry is reported.
    /// </summary>
    /// <param name="threshold">In (0, 1]; <see cref="DefaultThreshold"/> unless configured otherwise.</param>
    public IReadOnlyList<SanctionsMatch> Screen(string name, string? country, double threshold, int limit = 10)
    {
        if (Prepare(name, threshold, limit) is not { } query)
        {
            return [];
        }
        var scratch = Take(query);
        try
        {
            // A margin for rounding: a name the bound rules out must fall short, not tie.
            var mayLeaveUnpaired = NameScorer.MaxUnpairedWeight(query, threshold) * (1 + 1e-9) + 1e-12;
            Span<int> required = query.Words.Length <= 64 ? stackalloc int[query.Words.Length] : new int[query.Words.Length];
            required = required[..RequiredWords(query, mayLeaveUnpaired, scratch, required)];
            var similarity = new CachedSimilarity(_scorer, query, scratch);
            foreach (var i in required)
            {
                foreach (var word in scratch.SimilarWords(i))
                {
                    for (var p = _wordNameStart[word]; p < _wordNameStart[word + 1]; p++)
                    {
                        var n = _wordNames[p];
                        if (scratch.MarkName(n) && MayReach(query, n, mayLeaveUnpaired, scratch))
                        {
                            Consider(n, _scorer.Score(query, NameWords(n), similarity), scratch);
                        }
                    }
                }
            }
            return Results(scratch, country, threshold, limit);
        }
        finally
        {
            _scratch.Enqueue(scratch);
        }
    }

    /// <summary>
    /// The same answer as <see cref="Screen"/> by scoring every listed name: the reference the
    /// tests hold the index to, and the benchmarks' baseline.
    /// </summary>
    internal IReadOnlyList<SanctionsMatch> ScreenExhaustively(string name, string? country, double threshold, int limit = 10)
    {
        if (Prepare(name, threshold, limit) is not { } query)
        {
            return [];
        }
        var scratch = Take(query);
        try
        {
            for (var n = 0; n < _nameEntry.Length; n++)
            {
                Consider(n, _scorer.Score(query, NameWords(n)), scratch);
            }
            return Results(scratch, country, threshold, limit);
        }
        finally
        {
            _scratch.Enqueue(scratch);
        }
    }

    /// <summary>The query as the scorer reads it, or null when there is nothing to screen.</summary>
    private NameScorer.Query? Prepare(string name, double threshold, int limit)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!(threshold is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold is a score in (0, 1].");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var query = _scorer.Prepare(name);
        return query.Words.Length == 0 || limit == 0 || NameCount == 0 ? null : query;
    }

    private ScreeningScratch Take(NameScorer.Query query)
    {
        var scratch = _scratch.TryDequeue(out var idle) ? idle : new ScreeningScratch(_wordCount, _nameEntry.Length, _entries.Length);
        scratch.Begin(query.Words.Length);
        return scratch;
    }

    /// <summary>
    /// Query words of which every name leaving no more than <paramref name="mayLeaveUnpaired"/> unpaired pairs at least one,
    /// into <paramref name="required"/>, with their similar listed words looked up; returns how many.
    /// </summary>
    /// <remarks>
    /// Any set of query words weighing more than the query may leave unpaired will do
    /// (<see cref="NameScorer.MaxUnpairedWeight"/>). Words are looked up heaviest (rarest) first until
    /// such a set exists, then further while the cheapest set found would still mean scoring many
    /// names: a typo ("Khalli") can weigh most and yet resemble a word as common as "ali".
    /// </remarks>
    private int RequiredWords(NameScorer.Query query, double mayLeaveUnpaired, ScreeningScratch scratch, Span<int> required)
    {
        var words = query.Words.Length;
        Span<int> order = words <= 64 ? stackalloc int[words] : new int[words];
        for (var i = 0; i < words; i++)
        {
            order[i] = i;
        }
        order.Sort((a, b) => query.Weights[b].CompareTo(query.Weights[a]) is var byWeight and not 0 ? byWeight : a.CompareTo(b));
        var count = 0;
        var searchedWeight = 0.0;
        for (var searched = 0; searched < words;)
        {
            var next = order[searched++];
            FindSimilarWords(query, next, scratch);
            searchedWeight += query.Weights[next];
            if (searchedWeight > mayLeaveUnpaired)
            {
                count = Cheapest(query, order[..searched], mayLeaveUnpaired, scratch, required, out var names);
                if (names <= NamesWorthAnotherLookup)
                {
                    break;
                }
            }
        }
        return count;
    }

    /// <summary>
    /// How many names to score is worth one more word lookup (some 10 µs) to find a cheaper set
    /// of required words.
    /// </summary>
    private const int NamesWorthAnotherLookup = 200;

    /// <summary>Notes every listed word that can pair with query word <paramref name="i"/>, how well, and how many names hold them.</summary>
    private void FindSimilarWords(NameScorer.Query query, int i, ScreeningScratch scratch)
    {
        var names = 0;
        scratch.BeginSimilarWords(i);
        foreach (var word in _grams.Candidates(query.Words[i].Length, query.Pairs[i], scratch))
        {
            // The candidates are exactly the words that pass the length and letter-pair tests
            // of NameScorer.WordSimilarity; what is left of it is their resemblance.
            // Only words that pair are noted: the few others a candidate name holds are worked out
            // again when it is scored, which costs less than noting hundreds that no name needs.
            var similarity = NameScorer.Resemblance(query.Words[i], _scorer.Letters(word));
            if (similarity >= NameScorer.WordFloor)
            {
                scratch.Similarity(word, i) = similarity;
                scratch.AddSimilarWord(word, i);
                names += _wordNameStart[word + 1] - _wordNameStart[word];
            }
        }
        scratch.EndSimilarWords(i, names);
    }

    /// <summary>
    /// Whether a name can still reach the threshold given the query words looked up so far: those
    /// of them it holds no similar word for stay unpaired whatever else it holds. Much cheaper
    /// than scoring, and when every query word weighs more than may be left unpaired (as in
    /// "Mohammed Ali Hassan", all common), it keeps only names resembling every one of them.
    /// </summary>
    private bool MayReach(NameScorer.Query query, int name, double mayLeaveUnpaired, ScreeningScratch scratch)
    {
        var paired = 0UL;
        foreach (var word in NameWords(name))
        {
            paired |= scratch.PairsWith(word);
        }
        var unpaired = 0.0;
        for (var missing = scratch.LookedUp & ~paired; missing != 0; missing &= missing - 1)
        {
            unpaired += query.Weights[BitOperations.TrailingZeroCount(missing)];
        }
        return unpaired <= mayLeaveUnpaired;
    }

    /// <summary>
    /// Of the looked-up query words, those holding the fewest names that together weigh more
    /// than <paramref name="mayLeaveUnpaired"/>, chosen fewest names first.
    /// </summary>
    private static int Cheapest(NameScorer.Query query, ReadOnlySpan<int> searched, double mayLeaveUnpaired, ScreeningScratch scratch, Span<int> chosen, out long names)
    {
        searched.CopyTo(chosen);
        var candidates = chosen[..searched.Length];
        candidates.Sort((a, b) => scratch.NamesOf(a).CompareTo(scratch.NamesOf(b)) is var byNames and not 0 ? byNames : a.CompareTo(b));
        var weight = 0.0;
        names = 0;
        for (var count = 0; count < candidates.Length; count++)
        {
            weight += query.Weights[candidates[count]];
            names += scratch.NamesOf(candidates[count]);
            if (weight > mayLeaveUnpaired)
            {
                return count + 1;
            }
        }
        return candidates.Length;
    }

    private ReadOnlySpan<int> NameWords(int name) => _nameWords.AsSpan(_nameWordStart[name], _nameWordStart[name + 1] - _nameWordStart[name]);

    private void Consider(int name, double score, ScreeningScratch scratch)
    {
        if (score > 0)
        {
            scratch.Offer(_nameEntry[name], name, score);
        }
    }

    private List<SanctionsMatch> Results(ScreeningScratch scratch, string? country, double threshold, int limit)
    {
        var matches = new List<SanctionsMatch>();
        foreach (var entry in scratch.Entries)
        {
            var score = scratch.BestScore[entry];
            if (score < threshold)
            {
                continue;
            }
            var listed = _entries[entry];
            var countryMatched = country is not null && ContainsCountry(listed.Countries, country);
            matches.Add(new SanctionsMatch(listed, _nameText[scratch.BestName[entry]], countryMatched ? Math.Min(1, score + CountryBonus) : score, countryMatched));
        }
        matches.Sort(static (a, b) =>
            b.Score.CompareTo(a.Score) is var byScore and not 0 ? byScore :
            b.CountryMatched.CompareTo(a.CountryMatched) is var byCountry and not 0 ? byCountry :
            string.CompareOrdinal(a.Entry.Key, b.Entry.Key));
        if (matches.Count > limit)
        {
            matches.RemoveRange(limit, matches.Count - limit);
        }
        return matches;
    }

    private static bool ContainsCountry(IReadOnlyList<string> countries, string country)
    {
        for (var i = 0; i < countries.Count; i++)
        {
            if (string.Equals(countries[i], country, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static int[] Offsets(int[] counts)
    {
        var offsets = new int[counts.Length];
        for (int i = 0, sum = 0; i < counts.Length; i++)
        {
            offsets[i] = sum;
            sum += counts[i];
        }
        return offsets;
    }

    /// <summary>Shorter words first, then ordinal.</summary>
    private sealed class WordOrder : IComparer<string>
    {
        public static WordOrder Instance { get; } = new();

        public int Compare(string? x, string? y) => x!.Length != y!.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y);
    }

    /// <summary>Word similarities worked out once per query: by the word search, or on first use.</summary>
    /// <remarks>Similarities below <see cref="NameScorer.WordFloor"/> come back as 0; the scorer treats them alike.</remarks>
    private readonly struct CachedSimilarity(NameScorer scorer, NameScorer.Query query, ScreeningScratch scratch) : NameScorer.IWordSimilarity
    {
        public double Similarity(int queryWord, int listedWord)
        {
            // A looked-up query word's similar words are all known: any other word is not one.
            if (queryWord < 64 && (scratch.LookedUp & (1UL << queryWord)) != 0 && (scratch.PairsWith(listedWord) & (1UL << queryWord)) == 0)
            {
                return 0;
            }
            ref var cell = ref scratch.Similarity(listedWord, queryWord);
            if (double.IsNaN(cell))
            {
                cell = scorer.WordSimilarity(query, queryWord, listedWord);
            }
            return cell;
        }
    }
}
