using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Engine.Tests.Sanctions;

/// <summary>
/// Every list in <c>../shared/data/sanctions</c>, read once for the screening tests as Gatehouse
/// would load them: the 2024-05 SDN list with the newest aliases and addresses (2025-01), the
/// consolidated non-SDN list, trade.gov's CSL, the UN list and the BIS Denied Persons List.
/// </summary>
internal static class ScreeningLists
{
    private static readonly Lazy<IReadOnlyList<SanctionsList>> Lists = new(Read);
    private static readonly Lazy<SanctionsIndex> Built = new(() => SanctionsIndex.Build(Lists.Value.SelectMany(list => list.Entries)));

    public static IReadOnlyList<SanctionsList> All => Lists.Value;

    public static IReadOnlyList<SanctionsEntry> Sdn => Lists.Value.Single(list => list.Source == SanctionsSources.OfacSdn).Entries;

    public static SanctionsIndex Index => Built.Value;

    private static IReadOnlyList<SanctionsList> Read()
    {
        using var folder = new TemporaryFolder();
        // SanctionsFiles joins alt.csv and add.csv to the sdn.csv of the same folder; the stored
        // snapshots keep them in two, so one folder links all three.
        var sdn = folder.PathOf("sdn");
        Directory.CreateDirectory(sdn);
        File.CreateSymbolicLink(Path.Combine(sdn, "sdn.csv"), SharedData.Sanctions("ofac_sdn_2024-05-03", "sdn.csv"));
        File.CreateSymbolicLink(Path.Combine(sdn, "alt.csv"), SharedData.Sanctions("ofac_alt_add_2025-01-06", "alt.csv"));
        File.CreateSymbolicLink(Path.Combine(sdn, "add.csv"), SharedData.Sanctions("ofac_alt_add_2025-01-06", "add.csv"));
        // The stored csl.csv ends in a record cut short, which SanctionsFiles refuses: read it without that record.
        var csl = File.ReadAllBytes(SharedData.Sanctions("us_trade_csl", "csl.csv"));
        File.WriteAllBytes(folder.PathOf("csl.csv"), csl[..(Array.LastIndexOf(csl, (byte)'\n') + 1)]);
        return
        [
            .. SanctionsFiles.Read(sdn),
            .. SanctionsFiles.Read(SharedData.Sanctions("ofac_consolidated_2025-12")),
            .. SanctionsFiles.Read(folder.PathOf("csl.csv")),
            .. SanctionsFiles.Read(SharedData.Sanctions("un_consolidated")),
            .. SanctionsFiles.Read(SharedData.Sanctions("bis_dpl")),
        ];
    }
}
