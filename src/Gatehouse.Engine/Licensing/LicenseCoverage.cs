using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Licensing;

/// <summary>The countries licences cover, as the policy key <c>gate:LicensedCountries</c> lists them and as a set for the identity rules.</summary>
internal sealed record LicensedCountries(IReadOnlyList<string> Codes, CountrySet Set);

/// <summary>What an organisation's licences cover for one model at one instant.</summary>
internal static class LicenseCoverage
{
    /// <summary>The licence in force that covers <paramref name="modelId"/> from <paramref name="country"/>, if any.</summary>
    public static ExportLicense? InForce(IReadOnlyList<ExportLicense> licenses, string modelId, string country, DateTimeOffset now)
    {
        foreach (var license in licenses)
        {
            if (license.IsInForceAt(now) && license.CoversModel(modelId) && license.CoversCountry(country))
            {
                return license;
            }
        }
        return null;
    }

    /// <summary>A licence for <paramref name="modelId"/> from <paramref name="country"/> that is not in force (revoked, expired or not yet begun).</summary>
    public static ExportLicense? NotInForce(IReadOnlyList<ExportLicense> licenses, string modelId, string country, DateTimeOffset now) =>
        licenses.FirstOrDefault(l => !l.IsInForceAt(now) && l.CoversModel(modelId) && l.CoversCountry(country));

    /// <summary>Every country the licences in force let callers use <paramref name="modelId"/> from; null when there is none.</summary>
    public static LicensedCountries? Countries(IReadOnlyList<ExportLicense> licenses, string modelId, DateTimeOffset now)
    {
        List<string>? countries = null;
        foreach (var license in licenses)
        {
            if (license.IsInForceAt(now) && license.CoversModel(modelId))
            {
                foreach (var country in license.Countries)
                {
                    if (!(countries ??= []).Contains(country))
                    {
                        countries.Add(country);
                    }
                }
            }
        }
        return countries is null ? null : new LicensedCountries(countries, new CountrySet(countries));
    }

    /// <summary>"D-1 (mythos-5 from GB, DE; expired)" for each licence, for messages that say what an organisation holds.</summary>
    public static string Describe(IReadOnlyList<ExportLicense> licenses, DateTimeOffset now) =>
        string.Join("; ", licenses.Select(l =>
        {
            var status = l.StatusAt(now) switch
            {
                LicenseStatus.Revoked => "revoked",
                LicenseStatus.Expired => "expired",
                _ when l.ValidFrom > now => $"from {l.ValidFrom:u}",
                _ => $"until {l.ValidTo:u}",
            };
            return $"{l.Number} ({string.Join(", ", l.Models)} from {string.Join(", ", l.Countries)}; {status})";
        }));
}
