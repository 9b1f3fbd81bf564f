using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Benchmarks.Sanctions;

/// <summary>
/// Every list in <c>../shared/data/sanctions</c>, as the accuracy tests load them: the 2024-05 SDN
/// list with the newest aliases and addresses (2025-01), the consolidated non-SDN list, trade.gov's
/// CSL, the UN list and the BIS Denied Persons List, some 21,000 entries and 47,000 names.
/// </summary>
/// <remarks>
/// The stored snapshots keep the SDN list's alt.csv and add.csv in another folder than its sdn.csv,
/// and end csl.csv in a record cut short, so the files are prepared in a temporary folder: links to
/// the SDN files side by side, and csl.csv less its last record.
/// </remarks>
internal sealed class SanctionsListFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gatehouse-bench-").FullName;

    public SanctionsListFiles()
    {
        var sdn = Path.Combine(_folder, "sdn");
        Directory.CreateDirectory(sdn);
        File.CreateSymbolicLink(Path.Combine(sdn, "sdn.csv"), Shared("ofac_sdn_2024-05-03", "sdn.csv"));
        File.CreateSymbolicLink(Path.Combine(sdn, "alt.csv"), Shared("ofac_alt_add_2025-01-06", "alt.csv"));
        File.CreateSymbolicLink(Path.Combine(sdn, "add.csv"), Shared("ofac_alt_add_2025-01-06", "add.csv"));
        var csl = File.ReadAllBytes(Shared("us_trade_csl", "csl.csv"));
        File.WriteAllBytes(Path.Combine(_folder, "csl.csv"), csl[..(Array.LastIndexOf(csl, (byte)'\n') + 1)]);
        Paths = [sdn, Shared("ofac_consolidated_2025-12"), Path.Combine(_folder, "csl.csv"), Shared("un_consolidated"), Shared("bis_dpl")];
    }

    /// <summary>What <see cref="SanctionsFiles.Read"/> is given, one path a list.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The files behind <see cref="Paths"/>.</summary>
    public IEnumerable<string> Files => Paths.SelectMany(path => Directory.Exists(path) ? Directory.EnumerateFiles(path) : [path]);

    public List<SanctionsEntry> Read() => [.. Paths.SelectMany(path => SanctionsFiles.Read(path)).SelectMany(list => list.Entries)];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Shared(params string[] parts)
    {
        var path = RepositoryRoot.SharedData(["sanctions", .. parts]);
        return File.Exists(path) || Directory.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: the sanctions data lives in ../shared/data beside the repository.");
    }
}
