namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// The working arrays of one screening at a time against one index, kept between calls so that
/// a screening allocates little beyond the query's words and its answer. Each array is sized to
/// the index (words, names or entries) and "cleared" by bumping a generation number instead of
/// writing it: a slot counts only if its stamp is the current generation.
/// </summary>
internal sealed class ScreeningScratch(int words, int names, int entries)
{
    private int _query;
    private int _search;

    private readonly int[] _wordStamp = new int[words];
    private readonly int[] _wordSlot = new int[words];
    private double[] _similarities = new double[64];
    private int _slots;
    private int _queryWords;


    private readonly int[] _maskStamp = new int[words];
    private readonly ulong[] _masks = new ulong[words];

    private readonly int[] _nameStamp = new int[names];

    private readonly int[] _entryStamp = new int[entries];

    private readonly List<int> _similarWords = [];
    private int[] _similarStart = new int[8];
    private int[] _similarEnd = new int[8];
    private long[] _similarNames = new long[8];

    /// <summary>Starts the list of listed words similar to query word <paramref name="queryWord"/>.</summary>
    public void BeginSimilarWords(int queryWord) => _similarStart[queryWord] = _similarWords.Count;

    /// <summary>Notes that listed word <paramref name="word"/> can pair with query word <paramref name="queryWord"/>.</summary>
    public void AddSimilarWord(int word, int queryWord)
    {
        _similarWords.Add(word);
        if (queryWord < 64)
        {
            if (_maskStamp[word] != _query)
            {
                _maskStamp[word] = _query;
                _masks[word] = 0;
            }
            _masks[word] |= 1UL << queryWord;
        }
    }

    /// <summary>The query words (the first 64) a listed word can pair with, of those looked up so far.</summary>
    public ulong PairsWith(int word) => _maskStamp[word] == _query ? _masks[word] : 0;

    /// <summary>The query words (the first 64) whose similar listed words have been looked up.</summary>
    public ulong LookedUp { get; private set; }

    /// <summary>Ends the list of query word <paramref name="queryWord"/>, noting how many names hold its words.</summary>
    public void EndSimilarWords(int queryWord, long names)
    {
        _similarEnd[queryWord] = _similarWords.Count;
        _similarNames[queryWord] = names;
        LookedUp |= queryWord < 64 ? 1UL << queryWord : 0;
    }

    /// <summary>The listed words similar to a query word that has been looked up.</summary>
    public ReadOnlySpan<int> SimilarWords(int queryWord) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_similarWords)[_similarStart[queryWord].._similarEnd[queryWord]];

    /// <summary>How many names hold a word similar to a query word that has been looked up.</summary>
    public long NamesOf(int queryWord) => _similarNames[queryWord];

    /// <summary>The entries offered a score this query, in the order first offered.</summary>
    public List<int> Entries { get; } = [];

    public double[] BestScore { get; } = new double[entries];

    public int[] BestName { get; } = new int[entries];

    /// <summary>The words of comparable length found by the current word search (see <see cref="WordGrams"/>).</summary>
    public List<int> Candidates { get; } = [];

    public void Begin(int queryWords)
    {
        if (++_query == int.MaxValue)
        {
            Array.Clear(_wordStamp);
            Array.Clear(_maskStamp);
            Array.Clear(_nameStamp);
            Array.Clear(_entryStamp);
            _query = 1;
        }
        _queryWords = queryWords;
        _slots = 0;
        Entries.Clear();
        _similarWords.Clear();
        LookedUp = 0;
        if (_similarStart.Length < queryWords)
        {
            _similarStart = new int[queryWords];
            _similarEnd = new int[queryWords];
            _similarNames = new long[queryWords];
        }
    }

    /// <summary>
    /// Where this query keeps <c>s(qᵢ, l)</c> for a listed word: NaN until the word search or the
    /// scorer has worked it out.
    /// </summary>
    public ref double Similarity(int word, int queryWord)
    {
        if (_wordStamp[word] != _query)
        {
            _wordStamp[word] = _query;
            _wordSlot[word] = _slots;
            var needed = (_slots + 1) * _queryWords;
            if (needed > _similarities.Length)
            {
                Array.Resize(ref _similarities, Math.Max(needed, _similarities.Length * 2));
            }
            _similarities.AsSpan(_slots * _queryWords, _queryWords).Fill(double.NaN);
            _slots++;
        }
        return ref _similarities[_wordSlot[word] * _queryWords + queryWord];
    }

    /// <summary>True the first time this query sees the name.</summary>
    public bool MarkName(int name)
    {
        if (_nameStamp[name] == _query)
        {
            return false;
        }
        _nameStamp[name] = _query;
        return true;
    }

    /// <summary>Keeps the entry's best name and score.</summary>
    public void Offer(int entry, int name, double score)
    {
        if (_entryStamp[entry] != _query)
        {
            _entryStamp[entry] = _query;
            Entries.Add(entry);
            BestScore[entry] = score;
            BestName[entry] = name;
        }
        else if (score > BestScore[entry] || (score == BestScore[entry] && name < BestName[entry]))
        {
            BestScore[entry] = score;
            BestName[entry] = name;
        }
    }

    /// <summary>Bits of a <see cref="Counts"/> cell that hold the count; the search's generation is above them.</summary>
    public const int CountBits = 8;

    public const int CountMask = (1 << CountBits) - 1;

    /// <summary>
    /// Starts counting shared letter pairs for one band of one query word: returns the generation
    /// that marks a word's count in <see cref="Counts"/> as this search's.
    /// </summary>
    public int BeginCount()
    {
        if (++_search == 1 << (31 - CountBits))
        {
            Array.Clear(Counts);
            _search = 1;
        }
        return _search;
    }

    /// <summary>
    /// Per listed word, the letter pairs it shares with the query word in the low
    /// <see cref="CountBits"/> bits (words have fewer than 255 pairs), and above them the
    /// generation of the search that counted it.
    /// </summary>
    public int[] Counts { get; } = new int[words];

    /// <summary>The words counted by the current search, in the order first counted; grown as needed.</summary>
    public int[] Counted = new int[Math.Min(Math.Max(words, 16), 1024)];
}
