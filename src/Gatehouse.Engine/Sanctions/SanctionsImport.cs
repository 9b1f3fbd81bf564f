using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Sanctions;

/// <summary>One imported version of one list, with what it changed against the version before.</summary>
/// <param name="Delisted">Entries of the previous version that this one no longer lists.</param>
public sealed record SanctionsListVersion(
    string Id,
    string Source,
    DateTimeOffset ImportedAt,
    string ImportedBy,
    int EntryCount,
    int Added,
    int Changed,
    int Delisted)
{
    /// <summary>When the publisher issued the list, where its files say so.</summary>
    public DateTimeOffset? Published { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];
}

/// <summary>The sanctions lists in force: every listed entry of every source, and the versions imported so far.</summary>
public sealed record SanctionsData(IReadOnlyList<SanctionsEntry> Entries, IReadOnlyList<SanctionsListVersion> Versions)
{
    public static SanctionsData Empty { get; } = new([], []);

    /// <summary>The version in force of each list imported: its latest.</summary>
    public IEnumerable<SanctionsListVersion> InForce => Versions.GroupBy(v => v.Source).Select(g => g.Last());

    /// <summary>This data with an import applied: the source's entries replaced by the new version's.</summary>
    public SanctionsData Apply(SanctionsImport import) => new(
        [.. Entries.Where(e => e.Source != import.Version.Source), .. import.Entries],
        [.. Versions, import.Version]);
}

/// <summary>
/// What importing a list stores, worked out from the entries currently listed for its source:
/// the new version, the entries that are new or changed, and those that vanished (delisted).
/// Stored in one transaction, so a failed import leaves the previous version in force.
/// </summary>
/// <param name="Entries">Every entry of the new version.</param>
/// <param name="Upserts">The entries that are new or whose fingerprint changed.</param>
/// <param name="DelistedEntryIds">Entry ids of the source listed before and not now.</param>
public sealed record SanctionsImport(
    SanctionsListVersion Version,
    IReadOnlyList<SanctionsEntry> Entries,
    IReadOnlyList<SanctionsEntry> Upserts,
    IReadOnlyList<string> DelistedEntryIds,
    AuditEntry Audit)
{
    public static SanctionsImport Plan(SanctionsList list, SanctionsData current, string actor, DateTimeOffset now)
    {
        if (!SanctionsSources.All.Contains(list.Source))
        {
            throw new ArgumentException($"'{list.Source}' is not a known list; the lists are {string.Join(", ", SanctionsSources.All)}.", nameof(list));
        }
        // A list that repeats an entry id keeps its last row, as a later row corrects an earlier one.
        var entries = list.Entries.GroupBy(e => e.EntryId, StringComparer.Ordinal).Select(g => g.Last() with { Source = list.Source }).ToList();
        var before = current.Entries.Where(e => e.Source == list.Source).ToDictionary(e => e.EntryId, e => e.Fingerprint, StringComparer.Ordinal);
        var upserts = new List<SanctionsEntry>();
        var added = 0;
        foreach (var entry in entries)
        {
            if (!before.Remove(entry.EntryId, out var fingerprint))
            {
                added++;
                upserts.Add(entry);
            }
            else if (fingerprint != entry.Fingerprint)
            {
                upserts.Add(entry);
            }
        }
        var delisted = before.Keys.Order(StringComparer.Ordinal).ToList();
        var version = new SanctionsListVersion(Identifiers.New("slv"), list.Source, now, actor, entries.Count, added, upserts.Count - added, delisted.Count)
        {
            Published = list.Published,
            Files = list.Files,
        };
        var audit = new AuditEntry(Identifiers.New("aud"), now, actor, "sanctions.import", version.Id,
            $"source: {list.Source}; entries: {entries.Count}; added: {added}; changed: {upserts.Count - added}; delisted: {delisted.Count}",
            list.Files.Count == 0 ? null : string.Join(", ", list.Files));
        return new SanctionsImport(version, entries, upserts, delisted, audit);
    }
}
