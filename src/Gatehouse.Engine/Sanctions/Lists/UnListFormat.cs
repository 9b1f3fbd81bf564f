using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// The UN Security Council Consolidated List as XML (root <c>CONSOLIDATED_LIST</c>, with
/// <c>INDIVIDUALS/INDIVIDUAL</c> and <c>ENTITIES/ENTITY</c>), read one party at a time. Its
/// <c>dateGenerated</c> becomes <see cref="SanctionsList.Published"/>.
/// </summary>
internal sealed class UnListFormat : ISanctionsListFormat
{
    private const string Root = "CONSOLIDATED_LIST";

    private static readonly string[] NameParts = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"];

    private static readonly string[] AddressParts = ["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"];

    public string Source => SanctionsSources.UnitedNations;

    public IEnumerable<ListFiles> Find(IReadOnlyList<CandidateFile> files) => ListFiles.OnePerFile(this, files, file => file.XmlRoot == Root);

    public SanctionsList Read(ListFiles list, ReadProgress progress)
    {
        var path = list.Main.Path;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(progress.Open(path), settings);
        var lines = (IXmlLineInfo)reader;
        try
        {
            reader.MoveToContent();
            var published = Published(path, reader.GetAttribute("dateGenerated"));
            var entries = new EntryCollector(path);
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "INDIVIDUAL" or "ENTITY")
                {
                    var line = lines.LineNumber;
                    var party = (XElement)XNode.ReadFrom(reader);
                    entries.Add(ToEntry(party, path, line), line);
                    progress.Update();
                }
                else
                {
                    reader.Read();
                }
            }
            return new SanctionsList(Source, published, entries.Entries, list.Names);
        }
        catch (XmlException e)
        {
            throw new SanctionsFormatException(path, e.LineNumber, $"not well-formed XML: {e.Message}", e);
        }
    }

    private SanctionsEntry ToEntry(XElement party, string path, long line)
    {
        var isIndividual = party.Name.LocalName == "INDIVIDUAL";
        var id = Text(party.Element("DATAID")) ?? throw new SanctionsFormatException(path, line, $"{party.Name.LocalName} without a DATAID");
        // Entities have their whole name in FIRST_NAME; individuals have it in up to four parts.
        var name = string.Join(' ', NameParts.Select(part => Text(party.Element(part))).OfType<string>());
        if (name.Length == 0)
        {
            throw new SanctionsFormatException(path, line, $"{party.Name.LocalName} {id} has no name");
        }
        var draft = new EntryDraft(Source, id, isIndividual ? SanctionsEntryType.Individual : SanctionsEntryType.Entity, name)
        {
            Programs = Text(party.Element("UN_LIST_TYPE")),
            Remarks = Text(party.Element("COMMENTS1")),
        };
        var prefix = isIndividual ? "INDIVIDUAL" : "ENTITY";
        foreach (var alias in party.Elements(prefix + "_ALIAS"))
        {
            draft.AddAlias(Text(alias.Element("ALIAS_NAME")));
        }
        // The name in its own script (mostly Arabic), which a caller may well write instead.
        draft.AddAlias(Text(party.Element("NAME_ORIGINAL_SCRIPT")));
        foreach (var nationality in party.Elements("NATIONALITY").Elements("VALUE"))
        {
            draft.AddCountry(Text(nationality));
        }
        foreach (var address in party.Elements(prefix + "_ADDRESS"))
        {
            var parts = AddressParts.Select(part => Text(address.Element(part))).ToArray();
            if (parts.Any(part => part is not null))
            {
                var note = Text(address.Element("NOTE"));
                draft.AddAddress([.. parts.SkipLast(1), note is null ? parts[^1] : $"{parts[^1]} ({note})"]);
            }
            draft.AddCountry(Text(address.Element("COUNTRY")));
        }
        return draft.ToEntry();
    }

    private static DateTimeOffset? Published(string path, string? dateGenerated)
    {
        if (dateGenerated is null)
        {
            return null;
        }
        return DateTimeOffset.TryParse(dateGenerated, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var published)
            ? published
            : throw new SanctionsFormatException(path, 1, $"dateGenerated '{dateGenerated}' is not a date");
    }

    private static string? Text(XElement? element) => element?.Value.Trim() is { Length: > 0 } text ? text : null;
}
