using System.Collections.Frozen;

namespace Gatehouse.Engine.Configuration;

/// <summary>A named set of countries, e.g. <c>us</c> with its territories, or a single country.</summary>
public sealed record Jurisdiction(string Key, string DisplayName, FrozenSet<string> Countries)
{
    public static Jurisdiction ForCountry(string code) =>
        new(code, Geo.Countries.NameOf(code), FrozenSet.Create(StringComparer.Ordinal, code));
}
