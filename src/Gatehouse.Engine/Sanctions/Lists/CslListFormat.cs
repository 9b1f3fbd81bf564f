namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// trade.gov's Consolidated Screening List as CSV: the SDN, Entity List, Denied Persons, SSI,
/// Unverified, Military End User, ISN, DTC, CMIC, PLC and other lists in one file, a record per
/// party and list, multi-valued cells separated with <c>;</c>. Recognised by its header (whatever
/// the file is called), and read by column name, so that a newer export with its columns moved
/// or added reads alike. A repeated header line (exports are sometimes concatenated) is skipped.
/// </summary>
internal sealed class CslListFormat : ISanctionsListFormat
{
    private const string HeaderStart = "_id,source,entity_number";

    public string Source => SanctionsSources.ConsolidatedScreeningList;

    /// <summary>Any CSV file whose header starts like the CSL's, and <c>csl.csv</c> whatever it holds (so that a wrong one is reported, not passed over).</summary>
    public IEnumerable<ListFiles> Find(IReadOnlyList<CandidateFile> files) =>
        ListFiles.OnePerFile(this, files, file => file.IsNamed("csl.csv") || (file.HasExtension(".csv") && file.HasHeader(HeaderStart)));

    public SanctionsList Read(ListFiles list, ReadProgress progress)
    {
        using var table = CsvTable.OpenWithHeader(list.Main, progress, ',');
        var id = table.Column("_id");
        var source = table.Column("source");
        var type = table.Column("type");
        var programs = table.Column("programs");
        var name = table.Column("name");
        var addresses = table.Column("addresses");
        var remarks = table.Column("remarks");
        var altNames = table.Column("alt_names");
        var citizenships = table.Column("citizenships");
        var nationalities = table.Column("nationalities");
        var entries = new EntryCollector(list.Main.Path);
        while (table.Read())
        {
            if (table[id] == "_id")
            {
                continue;
            }
            var recordId = table[id] ?? throw table.Error("no _id");
            var subList = table[source] ?? throw table.Error($"_id {recordId} has no source");
            var partyName = table[name] ?? throw table.Error($"_id {recordId} has no name");
            var draft = new EntryDraft(Source, $"{Abbreviation(subList)}-{recordId}", TypeOf(table, table[type], partyName), partyName)
            {
                Programs = string.Join("; ", Values(table[programs]).Prepend(subList)),
                Remarks = table[remarks],
            };
            foreach (var alias in Values(table[altNames]))
            {
                draft.AddAlias(alias);
            }
            foreach (var address in Values(table[addresses]))
            {
                draft.AddAddress(address);
                // Addresses end with the country's code: "…, Beijing, 100033, CN".
                draft.AddCountry(address[(address.LastIndexOf(',') + 1)..]);
            }
            foreach (var country in Values(table[citizenships]).Concat(Values(table[nationalities])))
            {
                draft.AddCountry(country);
            }
            entries.Add(draft.ToEntry(), table.Line);
        }
        return new SanctionsList(Source, Published: null, entries.Entries, list.Names);
    }

    /// <summary>
    /// The entry id is <c>{list}-{_id}</c>, e.g. <c>SDN-11476</c> or <c>EL-b6e959b5…</c>. <c>_id</c> is
    /// the one id every record has (entity_number is empty outside OFAC's lists); for OFAC's
    /// lists it is the ent_num, stable for as long as the party is listed, and for the others a
    /// hash trade.gov keeps across versions for most records. It is not unique by itself: a
    /// party on two OFAC lists (SSI and NS-MBS, SDN and PLC) has one record on each with the same
    /// _id, so the list's abbreviation ("SDN" from "Specially Designated Nationals (SDN) -
    /// Treasury Department") goes in front.
    /// </summary>
    private static string Abbreviation(string subList)
    {
        var open = subList.IndexOf('(');
        var close = open < 0 ? -1 : subList.IndexOf(')', open);
        if (close < 0)
        {
            return subList;
        }
        var inside = subList[(open + 1)..close].Trim();
        var space = inside.IndexOf(' ');
        return space < 0 ? inside : inside[..space];
    }

    private static SanctionsEntryType TypeOf(CsvTable table, string? type, string name) => type switch
    {
        null => PartyKind.Guess(name),
        "Individual" => SanctionsEntryType.Individual,
        "Entity" => SanctionsEntryType.Entity,
        "Vessel" => SanctionsEntryType.Vessel,
        "Aircraft" => SanctionsEntryType.Aircraft,
        _ => throw table.Error($"unknown type '{type}' (Individual, Entity, Vessel, Aircraft or none)"),
    };

    private static IEnumerable<string> Values(string? cell) =>
        cell?.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
}
