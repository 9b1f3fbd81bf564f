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
/// of the query word's pairs, <c>k</c>, which depends on the shorter length. Word ids run in order
/// of length, so each pair's list of words is in order of length too and any band of lengths is
/// one slice of it, found by binary search. The comparable lengths are taken in bands of equal
/// <c>k</c>: a word sharing <c>k</c> of the query word's <c>P</c> pairs shares at least one of the
/// <c>P − k + 1</c> rarest, so only those slices are walked (the common pairs such as <c>^a</c> or
/// <c>n$</c> are the ones skipped), and the count of each word found is completed from a bit mask
/// of the 64 commonest pairs it holds (or its own pairs, for a skipped pair outside those). What
/// comes out is exactly the set of comparable words sharing enough pairs.
/// </remarks>
internal sealed class WordGrams
{
    private readonly int[] _pairStart;
    private readonly int[] _pairWords;
    private readonly int[] _lengthStart;
    private readonly WordFacts[] _facts;
    private readonly int[] _pairs;
    private readonly int[] _commonBit;

    /// <summary>What completing a word's count reads, in one place: its length, its commonest pairs and where its own pairs are.</summary>
    private readonly record struct WordFacts(ulong CommonPairs, int Length, int PairStart, int PairCount);

    public WordGrams(NameScorer scorer)
    {
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

        var counts = new int[LetterPairs.Count + 1];
        var total = 0;
        for (var id = 0; id < words; id++)
        {
            foreach (var pair in scorer.Pairs(id))
            {
                counts[pair]++;
            }
            total += scorer.Pairs(id).Length;
        }
        _commonBit = new int[LetterPairs.Count];
        _commonBit.AsSpan().Fill(-1);
        var commonest = Enumerable.Range(0, LetterPairs.Count).Where(p => counts[p] > 0).OrderByDescending(p => counts[p]).ThenBy(p => p).Take(64).ToArray();
        for (var bit = 0; bit < commonest.Length; bit++)
        {
            _commonBit[commonest[bit]] = bit;
        }

        _facts = new WordFacts[words];
        _pairs = new int[total];
        for (int id = 0, start = 0; id < words; id++)
        {
            var own = scorer.Pairs(id);
            own.CopyTo(_pairs, start);
            var mask = 0UL;
            foreach (var pair in own)
            {
                mask |= _commonBit[pair] >= 0 ? 1UL << _commonBit[pair] : 0;
            }
            _facts[id] = new WordFacts(mask, scorer.Word(id).Length, start, own.Length);
            start += own.Length;
        }

        _pairStart = new int[counts.Length];
        for (int i = 0, sum = 0; i < counts.Length; i++)
        {
            _pairStart[i] = sum;
            sum += counts[i];
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
        for (var bandStart = shortest; bandStart <= longest;)
        {
            var required = LetterPairs.Required(length, bandStart);
            var bandEnd = bandStart;
            while (bandEnd < longest && LetterPairs.Required(length, bandEnd + 1) == required)
            {
                bandEnd++;
            }
            AddBand(_lengthStart[bandStart], _lengthStart[bandEnd + 1], required, pairs, scratch);
            bandStart = bandEnd + 1;
        }
        return scratch.Candidates;
    }

    /// <summary>Adds the words with ids in [<paramref name="first"/>, <paramref name="end"/>), all needing <paramref name="required"/> shared pairs, that share them.</summary>
    private void AddBand(int first, int end, int required, int[] pairs, ScreeningScratch scratch)
    {
        if (first == end || required > pairs.Length)
        {
            return;
        }

        // Each pair's slice of the band's words, rarest first.
        Span<(int Start, int End, int Pair)> slices = pairs.Length <= 64 ? stackalloc (int, int, int)[pairs.Length] : new (int, int, int)[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            var words = _pairWords.AsSpan(_pairStart[pairs[i]], _pairStart[pairs[i] + 1] - _pairStart[pairs[i]]);
            var from = words.BinarySearch(first);
            var to = words.BinarySearch(end);
            slices[i] = (_pairStart[pairs[i]] + (from < 0 ? ~from : from), _pairStart[pairs[i]] + (to < 0 ? ~to : to), pairs[i]);
        }
        slices.Sort(static (a, b) => (a.End - a.Start).CompareTo(b.End - b.Start));

        var walked = slices.Length - required + 1;
        var counts = scratch.Counts;
        var generation = scratch.BeginCount();
        var counted = 0;
        for (var i = 0; i < walked; i++)
        {
            foreach (var id in _pairWords.AsSpan(slices[i].Start, slices[i].End - slices[i].Start))
            {
                // The count lives in the low byte, the search it belongs to above it.
                ref var cell = ref counts[id];
                if (cell >> ScreeningScratch.CountBits != generation)
                {
                    cell = generation << ScreeningScratch.CountBits;
                    if (counted == scratch.Counted.Length)
                    {
                        Array.Resize(ref scratch.Counted, counted * 2);
                    }
                    scratch.Counted[counted++] = id;
                }
                cell++;
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
            var facts = _facts[id];
            var shared = (counts[id] & ScreeningScratch.CountMask) + BitOperations.PopCount(facts.CommonPairs & skippedMask);
            if (shared < required && uncommon > 0 && shared + uncommon >= required)
            {
                var own = _pairs.AsSpan(facts.PairStart, facts.PairCount);
                foreach (var slice in skipped)
                {
                    if (_commonBit[slice.Pair] < 0 && own.BinarySearch(slice.Pair) >= 0)
                    {
                        shared++;
                    }
                }
            }
            if (shared >= required)
            {
                scratch.Candidates.Add(id);
            }
        }
    }
}
