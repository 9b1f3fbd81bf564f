using System.Security.Cryptography;
using System.Text;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Sanctions;

public enum SanctionsEntryType
{
    Entity,
    Individual,
    Vessel,
    Aircraft,
}

/// <summary>
/// One listed party as its list publishes it. <see cref="Source"/> and <see cref="EntryId"/>
/// identify it across versions of the list; <see cref="Fingerprint"/> changes whenever anything
/// screened against changes, which is what re-opens a cleared false positive.
/// </summary>
/// <param name="Source">The list, e.g. <c>ofac-sdn</c>, <c>ofac-cons</c>, <c>csl</c>, <c>un</c>, <c>bis-dpl</c>; see <see cref="SanctionsSources"/>.</param>
/// <param name="EntryId">The list's own number for the entry (OFAC ent_num, the CSL <c>_id</c>, the UN DATAID…).</param>
/// <param name="Name">The primary name, as written by the list (OFAC writes individuals <c>LAST, First</c>).</param>
public sealed record SanctionsEntry(string Source, string EntryId, SanctionsEntryType Type, string Name)
{
    /// <summary>Other names the list gives (a.k.a., f.k.a., n.k.a.).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>ISO 3166-1 alpha-2 codes of the countries the list ties the entry to (addresses, nationality, citizenship).</summary>
    public IReadOnlyList<string> Countries { get; init; } = [];

    /// <summary>Addresses as one line each, for the person reviewing a match.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>Programmes or sub-lists, e.g. <c>SDGT; IFSR</c> or <c>Entity List (EL) - Bureau of Industry and Security</c>.</summary>
    public string? Programs { get; init; }

    public string? Remarks { get; init; }

    /// <summary><c>source:entryId</c>, unique over every list.</summary>
    public string Key => $"{Source}:{EntryId}";

    /// <summary>Every name the entry is known by, the primary one first.</summary>
    public IEnumerable<string> Names => Aliases.Prepend(Name);

    /// <summary>
    /// Whether one of the entry's addresses names <paramref name="place"/> (a city, say), compared
    /// as names are: supporting evidence for a reviewer, never a match on its own.
    /// </summary>
    public bool MentionsPlace(string? place)
    {
        var wanted = string.IsNullOrWhiteSpace(place) ? "" : NameNormalizer.Normalize(place);
        return wanted.Length > 0 && Addresses.Any(address => $" {NameNormalizer.Normalize(address)} ".Contains($" {wanted} ", StringComparison.Ordinal));
    }

    /// <summary>A hash of what screening and review read (type, names, countries, addresses, programmes, remarks).</summary>
    /// <remarks>Computed on each read, not cached: a cached value would survive a <c>with</c> copy that changed a field.</remarks>
    public string Fingerprint
    {
        get
        {
            // Unit separators cannot occur in list text, so no two different entries encode alike.
            var canonical = string.Join('\u001f', [EnumNames<SanctionsEntryType>.Of(Type), Name, string.Join('\u001e', Aliases),
                string.Join('\u001e', Countries), string.Join('\u001e', Addresses), Programs ?? "", Remarks ?? ""]);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)).AsSpan(0, 12));
        }
    }
}

/// <summary>The lists Gatehouse reads, by the name used in <see cref="SanctionsEntry.Source"/>.</summary>
public static class SanctionsSources
{
    /// <summary>OFAC Specially Designated Nationals (sdn.csv, alt.csv, add.csv, sdn_comments.csv).</summary>
    public const string OfacSdn = "ofac-sdn";

    /// <summary>OFAC consolidated non-SDN lists (cons_prim.csv, cons_alt.csv, cons_add.csv, cons_comments.csv).</summary>
    public const string OfacConsolidated = "ofac-cons";

    /// <summary>The trade.gov Consolidated Screening List (csl.csv): Entity List, Denied Persons, Unverified List and more.</summary>
    public const string ConsolidatedScreeningList = "csl";

    /// <summary>The UN Security Council consolidated list (XML).</summary>
    public const string UnitedNations = "un";

    /// <summary>The BIS Denied Persons List as published on its own (dpl.txt).</summary>
    public const string BisDeniedPersons = "bis-dpl";

    public static IReadOnlyList<string> All { get; } = [OfacSdn, OfacConsolidated, ConsolidatedScreeningList, UnitedNations, BisDeniedPersons];
}

/// <summary>One list as read from its files: what an import replaces the stored version of <see cref="Source"/> with.</summary>
/// <param name="Published">When the publisher issued it, where the files say so.</param>
/// <param name="Files">The names of the files it was read from, for the version record.</param>
public sealed record SanctionsList(string Source, DateTimeOffset? Published, IReadOnlyList<SanctionsEntry> Entries, IReadOnlyList<string> Files);
