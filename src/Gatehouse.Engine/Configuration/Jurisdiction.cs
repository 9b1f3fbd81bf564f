using System.Collections.Frozen;
using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Configuration;

/// <summary>
/// A named set of countries and first-level regions, e.g. <c>us</c> with its territories, or a
/// single country. Regions (ISO 3166-2 codes such as <c>UA-43</c>, Crimea) are recognised only
/// when a database with subdivisions is loaded.
/// </summary>
public sealed record Jurisdiction(string Key, string DisplayName, FrozenSet<string> Countries, FrozenSet<string> Regions)
{
    /// <summary><see cref="Countries"/> as a bitset: every membership test, of a caller's country or an account's, is one bit test.</summary>
    private readonly CountrySet _countryIndex = new(Countries);

    /// <summary>
    /// The sets every configuration has unless it defines its own under the same name. OFAC's
    /// comprehensive sanctions cover Cuba, Iran, North Korea, Syria and three regions of Ukraine
    /// (Crimea with Sevastopol, and the so-called Donetsk and Luhansk People's Republics).
    /// </summary>
    public static IReadOnlyList<Jurisdiction> BuiltIn { get; } =
    [
        Create("us", "the United States", ["US", "PR", "GU", "VI", "AS", "MP", "UM"]),
        Create("eu", "the European Union", ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]),
        Create(EmbargoedKey, "an embargoed jurisdiction", ["CU", "IR", "KP", "SY", "UA-43", "UA-40", "UA-14", "UA-09"]),
    ];

    public const string EmbargoedKey = "embargoed";

    public static Jurisdiction ForCountry(string code) => Create(code, Geo.Countries.NameOf(code), [code]);

    /// <summary>A set from country codes (<c>US</c>) and region codes (<c>UA-43</c>) in one list.</summary>
    public static Jurisdiction Create(string key, string displayName, IEnumerable<string> entries)
    {
        var list = entries.ToList();
        return new(key, displayName,
            list.Where(e => !IsRegionCode(e)).ToFrozenSet(StringComparer.Ordinal),
            list.Where(IsRegionCode).ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>An ISO 3166-2 subdivision code whose country part is a known country, e.g. <c>UA-43</c>.</summary>
    public static bool IsRegionCode(string entry) =>
        entry.Length is >= 4 and <= 6 && entry[2] == '-' && Geo.Countries.IsKnown(entry[..2]) &&
        entry.AsSpan(3).ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") is false;

    /// <summary>Whether a country (not a place within it) belongs here, as for a billing or card country, given by its <see cref="CountrySet.IndexOf"/>.</summary>
    public bool ContainsCountry(int countryIndex) => _countryIndex.Contains(countryIndex);

    public bool Contains(GeoLocation location) =>
        ContainsCountry(CountrySet.IndexOf(location.Country)) ||
        location.Subdivision is { } subdivision && Regions.Contains(subdivision);
}

public static class Jurisdictions
{
    // Indexed loops: a foreach over the interface would box the list's enumerator on every request.

    public static Jurisdiction? FirstContaining(IReadOnlyList<Jurisdiction> jurisdictions, GeoLocation location)
    {
        for (var i = 0; i < jurisdictions.Count; i++)
        {
            if (jurisdictions[i].Contains(location))
            {
                return jurisdictions[i];
            }
        }
        return null;
    }

    public static Jurisdiction? FirstContainingCountry(IReadOnlyList<Jurisdiction> jurisdictions, int countryIndex)
    {
        for (var i = 0; i < jurisdictions.Count; i++)
        {
            if (jurisdictions[i].ContainsCountry(countryIndex))
            {
                return jurisdictions[i];
            }
        }
        return null;
    }
}
