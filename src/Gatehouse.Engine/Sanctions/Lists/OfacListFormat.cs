using System.Globalization;

namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// OFAC's legacy CSV files: a primary file of parties (<c>sdn.csv</c>, or <c>cons_prim.csv</c> for
/// the consolidated non-SDN lists) and, beside it, aliases, addresses and the overflow of long
/// remarks, all joined on ent_num. The files have no header and write "none" as <c>-0- </c>.
/// </summary>
/// <remarks>
/// Aliases and addresses whose ent_num is not in the primary file are passed over rather than
/// refused: OFAC's own files always join, and a hand-made subset (a test fixture, an excerpt)
/// is still worth reading.
/// </remarks>
internal sealed class OfacListFormat(string source, string primary, string aliases, string addresses, string comments)
    : ISanctionsListFormat
{
    private const string NullMarker = "-0-";

    public static OfacListFormat Sdn { get; } = new(SanctionsSources.OfacSdn, "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv");

    public static OfacListFormat Consolidated { get; } =
        new(SanctionsSources.OfacConsolidated, "cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv");

    public string Source { get; } = source;

    public IEnumerable<ListFiles> Find(IReadOnlyList<CandidateFile> files)
    {
        var main = files.FirstOrDefault(file => file.IsNamed(primary));
        var joined = files.Where(file => file.IsNamed(aliases) || file.IsNamed(addresses) || file.IsNamed(comments)).ToList();
        if (main is null)
        {
            return joined.Count == 0 ? [] : throw new SanctionsFormatException(joined[0].Path,
                0, $"is joined to {primary} on ent_num, but there is no {primary} beside it");
        }
        return [new ListFiles(this, [main, .. joined])];
    }

    public SanctionsList Read(ListFiles list, ReadProgress progress)
    {
        var drafts = new Dictionary<int, (EntryDraft Draft, long Line)>();
        ReadParties(list.Main, progress, drafts);
        if (list.Named(aliases) is { } aliasFile)
        {
            ReadJoined(aliasFile, progress, 5, (table, draft) => draft.AddAlias(table[3]), drafts);
        }
        if (list.Named(addresses) is { } addressFile)
        {
            ReadJoined(addressFile, progress, 6, (table, draft) =>
            {
                draft.AddAddress(table[2], table[3], table[4]);
                draft.AddCountry(table[4]);
            }, drafts);
        }
        if (list.Named(comments) is { } commentFile)
        {
            // A continuation cut mid-word, so it is appended as it is, without a separator.
            ReadJoined(commentFile, progress, 2, (table, draft) => draft.Remarks = Concatenate(draft.Remarks, table.Untrimmed(1)), drafts);
        }
        var entries = new List<SanctionsEntry>(drafts.Count);
        // In the primary file's order: a dictionary's order is not promised.
        foreach (var (draft, _) in drafts.Values.OrderBy(party => party.Line))
        {
            if (draft.Remarks is { } remarks)
            {
                draft.Remarks = remarks.Trim();
                OfacRemarks.AddNamesAndCountries(draft.Remarks, draft);
            }
            entries.Add(draft.ToEntry());
        }
        return new SanctionsList(Source, Published: null, entries, list.Names);
    }

    /// <summary>ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks.</summary>
    private void ReadParties(CandidateFile file, ReadProgress progress, Dictionary<int, (EntryDraft Draft, long Line)> drafts)
    {
        using var table = CsvTable.OpenHeaderless(file, progress, columns: 12, NullMarker);
        while (table.Read())
        {
            var entNum = EntNum(table);
            var name = table[1] ?? throw table.Error($"ent_num {entNum} has no name");
            var type = table[2] switch
            {
                null => SanctionsEntryType.Entity,
                "individual" => SanctionsEntryType.Individual,
                "vessel" => SanctionsEntryType.Vessel,
                "aircraft" => SanctionsEntryType.Aircraft,
                var other => throw table.Error($"unknown SDN_Type '{other}' (individual, vessel, aircraft or -0- for an entity)"),
            };
            var draft = new EntryDraft(Source, entNum.ToString(CultureInfo.InvariantCulture), type, name)
            {
                Programs = Programs(table[3]),
                Remarks = table.Untrimmed(11),
            };
            // A vessel's flag ties it to a country as an address does.
            draft.AddCountry(table[9]);
            if (!drafts.TryAdd(entNum, (draft, table.Line)))
            {
                throw table.Error($"ent_num {entNum} again (first on line {drafts[entNum].Line})");
            }
        }
    }

    private static void ReadJoined(CandidateFile file, ReadProgress progress, int columns, Action<CsvTable, EntryDraft> add,
        Dictionary<int, (EntryDraft Draft, long Line)> drafts)
    {
        using var table = CsvTable.OpenHeaderless(file, progress, columns, NullMarker);
        while (table.Read())
        {
            if (drafts.TryGetValue(EntNum(table), out var party))
            {
                add(table, party.Draft);
            }
        }
    }

    private static int EntNum(CsvTable table) =>
        int.TryParse(table[0], NumberStyles.None, CultureInfo.InvariantCulture, out var entNum) && entNum > 0
            ? entNum
            : throw table.Error($"ent_num '{table[0]}' is not a positive whole number");

    /// <summary>Several programmes are written <c>SDGT] [IFSR</c>: the list's outer brackets were removed.</summary>
    private static string? Programs(string? value) => value is null
        ? null
        : string.Join("; ", value.Trim('[', ']', ' ').Split("] [", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static string? Concatenate(string? remarks, string? overflow) => overflow is null ? remarks : remarks + overflow;
}
