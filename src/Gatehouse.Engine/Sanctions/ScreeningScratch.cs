namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// The working arrays of one thread's screenings against one index, kept between calls so that
/// a screening allocates only its answer. Each array is sized to the index (words, names or
/// entries) and "cleared" by bumping a generation number instead of writing it: a slot counts
/// only if its stamp is the current generation.
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


    private readonly int[] _nameStamp = new int[names];

    private readonly int[] _entryStamp = new int[entries];

    private readonly List<int> _similarWords = [];
    private int[] _similarStart = new int[8];
    private int[] _similarEnd = new int[8];
    private long[] _similarNames = new long[8];

    /// <summary>Starts the list of listed words similar to query word <paramref name="queryWord"/>.</summary>
    public void BeginSimilarWords(int queryWord) => _similarStart[queryWord] = _similarWords.Count;

    public void AddSimilarWord(int word) => _similarWords.Add(word);

    /// <summary>Ends the list of query word <paramref name="queryWord"/>, noting how many names hold its words.</summary>
    public void EndSimilarWords(int queryWord, long names)
    {
        _similarEnd[queryWord] = _similarWords.Count;
        _similarNames[queryWord] = names;
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
            Array.Clear(_nameStamp);
            Array.Clear(_entryStamp);
            _query = 1;
        }
        _queryWords = queryWords;
        _slots = 0;
        Entries.Clear();
        _similarWords.Clear();
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

    /// <summary>
    /// Starts counting shared letter pairs for one query word: returns the generation that marks
    /// a word's count as this search's in <see cref="CountStamps"/>.
    /// </summary>
    public int BeginCount()
    {
        if (++_search == int.MaxValue)
        {
            Array.Clear(CountStamps);
            _search = 1;
        }
        Candidates.Clear();
        return _search;
    }

    /// <summary>Per listed word, the generation of the search that last counted it (see <see cref="BeginCount"/>).</summary>
    public int[] CountStamps { get; } = new int[words];

    /// <summary>Per listed word, the letter pairs it shares with the query word, valid when its stamp is current.</summary>
    public int[] Counts { get; } = new int[words];

    /// <summary>The words counted by the current search, in the order first counted; grown as needed.</summary>
    public int[] Counted = new int[Math.Min(words, 1024)];
}
