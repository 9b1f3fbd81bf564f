using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Benchmarks.Sanctions;

/// <summary>
/// Screening a stream of different names, as a gateway sees them: each operation is one of
/// <see cref="Queries"/> names in turn, so the index's working memory is not warmed by the same
/// name over and over as in <see cref="ScreeningBenchmarks"/>. A quarter are listed names as
/// written, a quarter reordered, a quarter with a letter missing, and a quarter names that are
/// not on the lists. The baseline only normalises each name (<c>NameScorer.Prepare</c>), the
/// part of screening that does not depend on the lists' size. There is no exhaustive baseline:
/// scoring every name for 256 queries takes seconds an operation.
/// </summary>
[MemoryDiagnoser]
public class ScreeningMixBenchmarks
{
    private const int Queries = 256;

    private static readonly string[] Clean =
    [
        "Siemens AG", "Toyota Motor Corporation", "Deutsche Telekom AG", "Maria Schmidt", "John Smith", "Giulia Rossi",
        "International Trading Company", "Mohammed Ali Hassan", "Sunrise Bakery", "Hans Müller", "Nestlé S.A.", "Priya Sharma",
    ];

    private SanctionsIndex _index = SanctionsIndex.Empty;
    private string[] _names = [];

    [GlobalSetup]
    public void Setup()
    {
        using var data = new SanctionsListFiles();
        var entries = data.Read();
        _index = SanctionsIndex.Build(entries);
        // Every so-many entry, in list order: a fixed set, spread over all five lists.
        var listed = entries.Where((_, i) => i % (entries.Count / (3 * Queries / 4)) == 0).Take(3 * Queries / 4).ToArray();
        _names = [.. listed.Select((entry, i) => (i % 3) switch
        {
            0 => entry.Name,
            1 => Reordered(entry.Name),
            _ => WithoutALetter(entry.Name),
        }), .. Enumerable.Range(0, Queries / 4).Select(i => Clean[i % Clean.Length])];
        var reported = _names.Count(name => _index.Screen(name, null, SanctionsIndex.DefaultThreshold).Count > 0);
        Console.WriteLine($"// Screening mix: {_names.Length} names, {reported} reported at {SanctionsIndex.DefaultThreshold}");
    }

    /// <summary><c>LAST, First</c> → <c>First LAST</c>; other names' words in reverse.</summary>
    private static string Reordered(string name) =>
        name.IndexOf(',') is var comma and > 0 ? $"{name[(comma + 1)..].Trim()} {name[..comma]}" : string.Join(' ', name.Split(' ').Reverse());

    /// <summary>The longest word less its third letter.</summary>
    private static string WithoutALetter(string name)
    {
        var longest = name.Split(' ', ',').MaxBy(word => word.Length)!;
        return longest.Length < 5 ? name : name.Replace(longest, longest.Remove(2, 1), StringComparison.Ordinal);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Queries)]
    public int Prepare()
    {
        var words = 0;
        foreach (var name in _names)
        {
            words += _index.Scorer.Prepare(name).Words.Length;
        }
        return words;
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int Index()
    {
        var matches = 0;
        foreach (var name in _names)
        {
            matches += _index.Screen(name, null, SanctionsIndex.DefaultThreshold).Count;
        }
        return matches;
    }
}
