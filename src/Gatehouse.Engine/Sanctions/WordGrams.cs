using System.Numerics;

namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// The listed words by the letter pairs they contain (<see cref="LetterPairs"/>), so that the
/// words that can pair with a query word are found without comparing it with every word on the
/// lists.
/// </summary>
/// <remarks>
/// A word can pair with a query word only if its length is comparable
/// (<see cref="NameScorer.LengthsComparable"/>) and it shares <see cref="LetterPairs.Required"/>
/// of the query word's pairs, at least <c>k</c> for every comparable length. Word ids run in order
/// of length, so each pair's list of words is in order of length too and the comparable lengths
/// are one slice of it, found by binary search. A word sharing <c>k</c> of the query word's
/// <c>P</c> pairs shares at least one of the <c>P − k + 1</c> rarest, so only those slices are
/// walked (the common pairs such as <c>^a</c> or <c>n$</c> are the ones skipped); the count of
/// each word found is then completed by looking the skipped pairs up in the word's own pairs.
/// What comes out is exactly the set of comparable words sharing enough pairs.
/// </remarks>
internal sealed class WordGrams
{
    private readonly NameScorer _scorer;
    private readonly int[] _pairStart;
    private readonly int[] _pairWords;
    private readonly int[] _lengthStart;
    private readonly int[] _lengths;
    private readonly int[] _ownStart;
    private readonly int[] _pairs;
    private readonly int[] _commonBit;
    private readonly ulong[] _commonMask;

    public WordGrams(NameScorer scorer)
    {
        _scorer = scorer;
        var words = scorer.WordCount;
        var maxLength = words == 0 ? 0 : scorer.Word(words - 1).Length;
        _lengthStart = new int[maxLength + 2];
        for (int length = 0, id = 0; length < _lengthStart.Length; length++)
        {
            while (id < words && scorer.Word(id).Length < length)
            {
                id++;
            }
            _lengthStart[length] = id;
        }

        // Each word's own pairs and length, in one array each, for completing counts.
        _lengths = new int[words];
        _ownStart = new int[words + 1];
        for (var id = 0; id < words; id++)
        {
            _lengths[id] = scorer.Word(id).Length;
            _ownStart[id + 1] = _ownStart[id] + scorer.Pairs(id).Length;
        }
        _pairs = new int[_ownStart[words]];
        for (var id = 0; id < words; id++)
        {
            scorer.Pairs(id).CopyTo(_pairs, _ownStart[id]);
        }

        var counts = new int[LetterPairs.Count + 1];
        for (var id = 0; id < words; id++)
        {
            foreach (var pair in scorer.Pairs(id))
            {
                counts[pair]++;
            }
        }
        _pairStart = new int[counts.Length];
        for (int i = 0, sum = 0; i < counts.Length; i++)
        {
            _pairStart[i] = sum;
            sum += counts[i];
        }
        _commonBit = new int[LetterPairs.Count];
        _commonBit.AsSpan().Fill(-1);
        var commonest = Enumerable.Range(0, LetterPairs.Count).Where(p => counts[p] > 0).OrderByDescending(p => counts[p]).ThenBy(p => p).Take(64).ToArray();
        for (var bit = 0; bit < commonest.Length; bit++)
        {
            _commonBit[commonest[bit]] = bit;
        }
        _commonMask = new ulong[words];
        for (var id = 0; id < words; id++)
        {
            foreach (var pair in scorer.Pairs(id))
            {
                if (_commonBit[pair] >= 0)
                {
                    _commonMask[id] |= 1UL << _commonBit[pair];
                }
            }
        }

        _pairWords = new int[_pairStart[^1]];
        var fill = _pairStart[..^1];
        for (var id = 0; id < words; id++)
        {
            foreach (var pair in scorer.Pairs(id))
            {
                _pairWords[fill[pair]++] = id;
            }
        }
    }

    /// <summary>
    /// The listed words of comparable length sharing enough letter pairs with the query word
    /// whose pairs are <paramref name="pairs"/>, in <see cref="ScreeningScratch.Candidates"/>.
    /// </summary>
    public List<int> Candidates(int length, int[] pairs, ScreeningScratch scratch)
    {
        scratch.Candidates.Clear();
        var shortest = (2 * length + 2) / 3;
        var longest = Math.Min(3 * length / 2, _lengthStart.Length - 2);
        if (shortest > longest)
        {
            return scratch.Candidates;
        }
        var first = _lengthStart[shortest];
        var end = _lengthStart[longest + 1];

        // Each pair's slice of comparable words, rarest first.
        Span<(int Start, int End, int Pair)> slices = pairs.Length <= 64 ? stackalloc (int, int, int)[pairs.Length] : new (int, int, int)[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            var words = _pairWords.AsSpan(_pairStart[pairs[i]], _pairStart[pairs[i] + 1] - _pairStart[pairs[i]]);
            var from = words.BinarySearch(first);
            var to = words.BinarySearch(end);
            slices[i] = (_pairStart[pairs[i]] + (from < 0 ? ~from : from), _pairStart[pairs[i]] + (to < 0 ? ~to : to), pairs[i]);
        }
        slices.Sort(static (a, b) => (a.End - a.Start).CompareTo(b.End - b.Start));

        var least = LetterPairs.Required(length, shortest);
        var walked = Math.Max(0, slices.Length - least + 1);
        var stamp = scratch.BeginCount();
        var stamps = scratch.CountStamps;
        var counts = scratch.Counts;
        var counted = 0;
        for (var i = 0; i < walked; i++)
        {
            foreach (var id in _pairWords.AsSpan(slices[i].Start, slices[i].End - slices[i].Start))
            {
                if (stamps[id] != stamp)
                {
                    stamps[id] = stamp;
                    counts[id] = 1;
                    if (counted == scratch.Counted.Length)
                    {
                        Array.Resize(ref scratch.Counted, counted * 2);
                    }
                    scratch.Counted[counted++] = id;
                }
                else
                {
                    counts[id]++;
                }
            }
        }

        // The skipped pairs are the query word's commonest: nearly always among the commonest
        // 64 overall, whose presence in a word is one bit of its mask.
        var skipped = slices[walked..];
        var skippedMask = 0UL;
        var uncommon = 0;
        foreach (var slice in skipped)
        {
            if (_commonBit[slice.Pair] is var bit and >= 0)
            {
                skippedMask |= 1UL << bit;
            }
            else
            {
                uncommon++;
            }
        }
        foreach (var id in scratch.Counted.AsSpan(0, counted))
        {
            var needed = LetterPairs.Required(length, _lengths[id]);
            var shared = counts[id] + BitOperations.PopCount(_commonMask[id] & skippedMask);
            if (shared < needed && uncommon > 0 && shared + uncommon >= needed)
            {
                var own = _pairs.AsSpan(_ownStart[id], _ownStart[id + 1] - _ownStart[id]);
                foreach (var slice in skipped)
                {
                    if (_commonBit[slice.Pair] < 0 && own.BinarySearch(slice.Pair) >= 0)
                    {
                        shared++;
                    }
                }
            }
            if (shared >= needed)
            {
                scratch.Candidates.Add(id);
            }
        }
        return scratch.Candidates;
    }
}
