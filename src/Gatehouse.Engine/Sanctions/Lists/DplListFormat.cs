using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// The BIS Denied Persons List as BIS publishes it on its own (<c>dpl.txt</c>): tab-separated,
/// quoted, with a header line (<c>Name, Street_Address, City, State, Country, Postal_Code,
/// Effective_Date, Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation</c>), one
/// record per person or firm and address. Recognised by that header, whatever the file is called.
/// </summary>
internal sealed class DplListFormat : ISanctionsListFormat
{
    private const string ProgramName = "Denied Persons List";

    public string Source => SanctionsSources.BisDeniedPersons;

    public IEnumerable<ListFiles> Find(IReadOnlyList<CandidateFile> files) =>
        ListFiles.OnePerFile(this, files, file => file.IsNamed("dpl.txt") || file.HasHeader("Name\tStreet_Address\t"));

    public SanctionsList Read(ListFiles list, ReadProgress progress)
    {
        using var table = CsvTable.OpenWithHeader(list.Main, progress, '\t');
        var name = table.Column("Name");
        var street = table.Column("Street_Address");
        var city = table.Column("City");
        var state = table.Column("State");
        var country = table.Column("Country");
        var postalCode = table.Column("Postal_Code");
        var effective = table.Column("Effective_Date");
        var expires = table.Column("Expiration_Date");
        var citation = table.Column("FR_Citation");
        var entries = new EntryCollector(list.Main.Path);
        while (table.Read())
        {
            var partyName = table[name] ?? throw table.Error("no name");
            var address = new[] { table[street], table[city], Join(" ", table[state], table[postalCode]), table[country] };
            var draft = new EntryDraft(Source, IdOf(partyName, address), PartyKind.Guess(partyName), partyName)
            {
                Programs = ProgramName,
                Remarks = Join("; ", Labelled("effective", table[effective]), Labelled("expires", table[expires]), table[citation]),
            };
            draft.AddAddress(address);
            draft.AddCountry(table[country]);
            entries.Add(draft.ToEntry(), table.Line);
        }
        return new SanctionsList(Source, Published: null, entries.Entries, list.Names);
    }

    /// <summary>
    /// The list gives no id, so one is made from what identifies a denial: the name and the
    /// address (a person denied at two addresses has two records). It is the first 16 hex digits
    /// of a SHA-256 of both, upper-cased with spaces folded, e.g. <c>dpl-3f2a…</c>: the same for as
    /// long as BIS writes them the same, and new (the old one delisted) when it corrects them.
    /// Dates and citations are left out, so that a renewed order keeps its id.
    /// </summary>
    private static string IdOf(string name, string?[] address)
    {
        var text = string.Join('\u001f', address.Prepend(name).Select(part => string.Join(' ',
            (part ?? "").ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        return "dpl-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }

    private static string? Labelled(string label, string? value) => value is null ? null : $"{label} {value}";

    private static string? Join(string separator, params string?[] parts)
    {
        var joined = string.Join(separator, parts.Where(part => part is not null));
        return joined.Length == 0 ? null : joined;
    }
}
