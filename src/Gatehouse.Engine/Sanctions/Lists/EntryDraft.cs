using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// An entry being put together from one or more records (OFAC joins three files on ent_num).
/// Names, countries and addresses are kept once each, in the order first seen.
/// </summary>
internal sealed class EntryDraft(string source, string entryId, SanctionsEntryType type, string name)
{
    private readonly List<string> _aliases = [];
    private readonly List<string> _countries = [];
    private readonly List<string> _addresses = [];

    public string EntryId { get; } = entryId;

    public string Name { get; } = name;

    public string? Programs { get; set; }

    public string? Remarks { get; set; }

    public void AddAlias(string? alias)
    {
        alias = alias?.Trim();
        if (!string.IsNullOrEmpty(alias) && !alias.Equals(Name, StringComparison.OrdinalIgnoreCase) &&
            !_aliases.Contains(alias, StringComparer.OrdinalIgnoreCase))
        {
            _aliases.Add(alias);
        }
    }

    /// <summary>
    /// A country given by ISO code (trade.gov, BIS) or by English name (OFAC, UN); one that is
    /// neither, such as "undetermined" or a region of several countries, is left out.
    /// </summary>
    public void AddCountry(string? country)
    {
        country = country?.Trim();
        if (string.IsNullOrEmpty(country))
        {
            return;
        }
        var code = country.Length == 2 && Countries.IsKnown(country.ToUpperInvariant()) ? country.ToUpperInvariant()
            : Countries.TryFindCode(country, out var found) ? found
            : null;
        if (code is not null && !_countries.Contains(code))
        {
            _countries.Add(code);
        }
    }

    /// <summary>One address from its parts (street, city, country…); the empty ones are passed over.</summary>
    public void AddAddress(params ReadOnlySpan<string?> parts)
    {
        var line = string.Join(", ", parts.ToArray().Select(part => part?.Trim()).Where(part => !string.IsNullOrEmpty(part)));
        if (line.Length > 0 && !_addresses.Contains(line))
        {
            _addresses.Add(line);
        }
    }

    public SanctionsEntry ToEntry() => new(source, EntryId, type, Name)
    {
        Aliases = [.. _aliases],
        Countries = [.. _countries],
        Addresses = [.. _addresses],
        Programs = Programs,
        Remarks = Remarks,
    };
}
