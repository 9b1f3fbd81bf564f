using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Licensing;
using Gatehouse.Engine.Models;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Layer 1: places the caller in a country and a network type, then applies, in order, the
/// embargo (every model), the model's denied jurisdictions, and for restricted models: a known
/// location, no anonymizing network, and a country inside the allowed jurisdictions.
/// </summary>
internal sealed class GeoStage(IGeoLocator locator) : IDecisionStage
{
    private const string Rule = "geo.jurisdiction";

    public DecisionLayer Layer => DecisionLayer.Geo;

    public StageResult Evaluate(DecisionContext context)
    {
        var model = context.Model!;
        var geo = context.Configuration.Geo;
        var client = context.Request.Client;
        var location = client.Address is null
            ? GeoLocation.Unknown(client.Problem ?? "the client address is unknown")
            : geo.Place(locator.Locate(client.Address));
        context.Location = location;
        context.Record(Layer, "geo.locate", location.Country ?? "unknown", Describe(client, location));

        if (location.Country is { } country)
        {
            if (Jurisdictions.FirstContaining(geo.Embargo, location) is { } embargo)
            {
                context.Record(Layer, "geo.embargo", "deny", $"{Place(location)} is in embargoed jurisdiction '{embargo.Key}'");
                return StageResult.Deny(ReasonCodes.GeoEmbargoed, "geo.embargo",
                    $"{model.Id} is not available to callers in {Countries.NameOf(country)}, which is under embargo; this request came from {Place(location)} ({client}).");
            }
            if (model.DenyingJurisdiction(location) is { } denying)
            {
                context.Record(Layer, Rule, "deny", $"{Place(location)} is in denied jurisdiction '{denying.Key}'");
                var denial = StageResult.Deny(ReasonCodes.GeoCountryRestricted, Rule,
                    $"{model.Id} is not available to callers in {Countries.NameOf(country)}; this request came from {Place(location)} ({client}). Contact your administrator.");
                if (UnlessLicensed(context, country, denial) is { IsDenial: true } refused)
                {
                    return refused;
                }
            }
        }

        if (!model.IsRestricted)
        {
            context.Record(Layer, Rule, "not_restricted", $"{model.Id} is not limited to any jurisdiction");
            return StageResult.Continue;
        }
        if (location.Country is null)
        {
            context.Record(Layer, Rule, "deny", "location unknown for a restricted model");
            return StageResult.Deny(ReasonCodes.GeoUnknownLocation, Rule,
                $"{model.Id} is available only to callers in {AllowedNames(model)}; the location of this request ({client}) " +
                $"could not be established ({location.Note}), so it is refused. Contact your administrator.");
        }
        if (geo.Anonymizers.Contains(location.NetworkType))
        {
            context.Record(Layer, "geo.anonymizer", "deny", $"{location.NetworkTypeName} networks are refused for restricted models");
            return StageResult.Deny(ReasonCodes.GeoAnonymizer, "geo.anonymizer",
                $"{model.Id} is not available through {NetworkDescription(location)}; this request came from {client}{Through(location)}. " +
                "Connect directly from your own network, or contact your administrator.");
        }
        if (model.AllowingJurisdiction(location) is not { } allowing)
        {
            // Already lifted above, for this very country, when it was also in a denied jurisdiction.
            if (context.License is not null)
            {
                return StageResult.Continue;
            }
            context.Record(Layer, Rule, "deny", $"{Place(location)} is outside {string.Join(", ", model.AllowedJurisdictions.Select(j => j.Key))}");
            return UnlessLicensed(context, location.Country, StageResult.Deny(ReasonCodes.GeoCountryRestricted, Rule,
                $"{model.Id} is available only to callers in {AllowedNames(model)}; this request came from {Place(location)} ({client}). " +
                "Contact your administrator about an export licence."));
        }
        context.Record(Layer, Rule, "allow", $"{Place(location)} is in {allowing.Key}");
        return StageResult.Continue;
    }

    /// <summary>
    /// A jurisdiction denial stands unless a licence of the caller's organisation, in force now,
    /// covers this model from this country. An organisation that holds licences is told which
    /// ones it has and why none applies.
    /// </summary>
    private StageResult UnlessLicensed(DecisionContext context, string country, StageResult denial)
    {
        if (context.LiftsJurisdictions)
        {
            context.Record(Layer, "license", "lifted", "jurisdiction restrictions lifted to judge a substitution");
            return StageResult.Continue;
        }
        if (context.Request.Principal is not { Licenses.Count: > 0 } principal)
        {
            return denial;
        }
        var model = context.Model!;
        var organization = principal.Organization.Id;
        if (LicenseCoverage.InForce(principal.Licenses, model.Id, country, context.Now) is { } license)
        {
            context.License = license;
            context.Record(Layer, "license", "allow", $"{license} lets {organization} use {model.Id} from {country} until {license.ValidTo:u}");
            return StageResult.Continue;
        }
        const string Contact = "Contact your administrator or your export-compliance officer.";
        if (LicenseCoverage.NotInForce(principal.Licenses, model.Id, country, context.Now) is { } lapsed)
        {
            var (code, state) = lapsed.StatusAt(context.Now) switch
            {
                LicenseStatus.Revoked => (ReasonCodes.LicenseExpired, $"was revoked at {lapsed.RevokedAt:u}"),
                LicenseStatus.Expired => (ReasonCodes.LicenseExpired, $"expired at {lapsed.ValidTo:u}"),
                _ => (ReasonCodes.LicenseNotYetValid, $"is valid only from {lapsed.ValidFrom:u}"),
            };
            context.Record(Layer, "license", "deny", $"{lapsed} for {model.Id} from {country} {state}");
            return StageResult.Deny(code, "license",
                $"Export licence {lapsed.Number} of organisation {organization}, which covers {model.Id} from {Countries.NameOf(country)}, {state}, so this request is refused. {Contact}");
        }
        var held = LicenseCoverage.Describe(principal.Licenses, context.Now);
        context.Record(Layer, "license", "deny", $"no licence of {organization} covers {model.Id} from {country}; it holds {held}");
        return StageResult.Deny(ReasonCodes.LicenseMissing, "license",
            $"{model.Id} needs an export licence for callers in {Countries.NameOf(country)}. Organisation {organization} holds {held}, " +
            $"none of which covers {model.Id} from {country}. {Contact}");
    }

    private static string Place(GeoLocation location) => location.Subdivision ?? location.Country ?? "unknown";

    private static string Describe(Networking.ClientAddress client, GeoLocation location)
    {
        var network = location.Asn == 0 ? "" : $", AS{location.Asn} {location.NetworkName}";
        return location.Country is null
            ? $"{client}: {location.Note} ({location.NetworkTypeName} network{network})"
            : $"{client}: {Place(location)}, {location.NetworkTypeName} network{network}";
    }

    private static string NetworkDescription(GeoLocation location) => location.NetworkType switch
    {
        NetworkType.Tor => "the Tor network",
        NetworkType.Vpn => "VPN and proxy networks",
        _ => "hosting and cloud networks",
    };

    private static string Through(GeoLocation location) =>
        location.Asn == 0 ? $", a {location.NetworkTypeName} network" : $" through {location.NetworkName ?? "AS" + location.Asn}, a {location.NetworkTypeName} network";

    private static string AllowedNames(ModelDefinition model) =>
        string.Join(" or ", model.AllowedJurisdictions.Select(j => j.DisplayName));
}
