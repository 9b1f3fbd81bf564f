using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Benchmarks.Sanctions;

/// <summary>
/// Screening one name against every loaded list (<see cref="SanctionsListFiles"/>), at the default
/// threshold. The baseline scores every listed name with the same scorer
/// (<c>SanctionsIndex.ScreenExhaustively</c>), which is what the index avoids; both return the same
/// matches (checked in setup, and by the accuracy tests on the labelled set).
/// </summary>
[MemoryDiagnoser]
public class ScreeningBenchmarks
{
    private SanctionsIndex _index = SanctionsIndex.Empty;

    /// <summary>Listed names as customers write them, a near miss, and names that are not on the lists.</summary>
    [Params(
        "MADURO MOROS, Nicolas",           // hit: an individual as OFAC writes him
        "Nicolás Maduro Moroz",            // hit: diacritics, order, one letter wrong
        "Rоsnеft Trading SA",              // hit: Cyrillic о and е, another legal form
        "Bank Melli Iran",                 // hit: a common word ("bank") with rare ones
        "Хорошев Дмитрий Юрьевич",         // near miss: romanised Cyrillic; designated after the 2024-05 list
        "Siemens AG",                      // clean company
        "Maria Schmidt",                   // clean person
        "Mohammed Ali Hassan",             // clean, but every word is common on the lists: the index's worst kind
        "International Trading Company")]  // clean, generic
    public string Name { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        using var data = new SanctionsListFiles();
        _index = SanctionsIndex.Build(data.Read());
        var indexed = _index.Screen(Name, null, SanctionsIndex.DefaultThreshold);
        if (!indexed.SequenceEqual(_index.ScreenExhaustively(Name, null, SanctionsIndex.DefaultThreshold)))
        {
            throw new InvalidOperationException($"The index and the exhaustive scan disagree on '{Name}'.");
        }
        Console.WriteLine($"// Screening: {_index.EntryCount:N0} entries, {_index.NameCount:N0} names; '{Name}' matches " +
            (indexed.Count == 0 ? "nothing" : string.Join(", ", indexed.Select(m => $"{m.MatchedName} {m.Score:F3}"))));
    }

    [Benchmark(Baseline = true)]
    public IReadOnlyList<SanctionsMatch> EveryName() => _index.ScreenExhaustively(Name, null, SanctionsIndex.DefaultThreshold);

    [Benchmark]
    public IReadOnlyList<SanctionsMatch> Index() => _index.Screen(Name, null, SanctionsIndex.DefaultThreshold);
}
