namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// A list's entries with their ids checked: a record repeated whole is kept once (the Denied
/// Persons List has two), and two different records with one id stop the read, since one of
/// them would otherwise silently replace the other.
/// </summary>
internal sealed class EntryCollector(string path)
{
    private readonly Dictionary<string, (SanctionsEntry Entry, long Line)> _byId = new(StringComparer.Ordinal);

    public List<SanctionsEntry> Entries { get; } = [];

    public void Add(SanctionsEntry entry, long line)
    {
        if (_byId.TryGetValue(entry.EntryId, out var first))
        {
            if (first.Entry.Fingerprint != entry.Fingerprint)
            {
                throw new SanctionsFormatException(path, line, $"entry {entry.EntryId} again, different from the one on line {first.Line}");
            }
            return;
        }
        _byId.Add(entry.EntryId, (entry, line));
        Entries.Add(entry);
    }
}
