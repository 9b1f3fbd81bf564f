using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Layer 1: places the caller and applies the model's jurisdiction rules. A model limited to
/// named jurisdictions is refused whenever the caller's country cannot be established.
/// </summary>
internal sealed class GeoStage(IGeoLocator locator) : IDecisionStage
{
    public DecisionLayer Layer => DecisionLayer.Geo;

    public StageResult Evaluate(DecisionContext context)
    {
        var model = context.Model!;
        var client = context.Request.Client;
        var location = client.Address is null
            ? GeoLocation.Unknown(client.Problem ?? "the client address is unknown")
            : locator.Locate(client.Address);
        context.Location = location;
        context.Record(Layer, "geo.locate", location.Country ?? "unknown",
            location.Country is null ? $"{client}: {location.Note}" : $"{client}: {location.Country}, {location.NetworkTypeName} network");

        if (location.Country is null)
        {
            if (!model.IsRestricted)
            {
                context.Record(Layer, "geo.jurisdiction", "not_restricted", $"{model.Id} is not limited to any jurisdiction");
                return StageResult.Continue;
            }
            context.Record(Layer, "geo.jurisdiction", "deny", "location unknown for a restricted model");
            return StageResult.Deny(ReasonCodes.GeoUnknownLocation, "geo.jurisdiction",
                $"{model.Id} is available only to callers in {AllowedNames(model)}; the location of this request ({client}) " +
                $"could not be established ({location.Note}), so it is refused. Contact your administrator.");
        }

        var country = location.Country;
        var denying = model.DenyingJurisdiction(country);
        if (denying is not null)
        {
            context.Record(Layer, "geo.jurisdiction", "deny", $"{country} is in denied jurisdiction '{denying.Key}'");
            return StageResult.Deny(ReasonCodes.GeoCountryRestricted, "geo.jurisdiction",
                $"{model.Id} is not available to callers in {Countries.NameOf(country)}; this request came from {country} ({client}). Contact your administrator.");
        }
        if (model.IsRestricted && !model.AllowsCountry(country))
        {
            context.Record(Layer, "geo.jurisdiction", "deny", $"{country} is outside {string.Join(", ", model.AllowedJurisdictions.Select(j => j.Key))}");
            return StageResult.Deny(ReasonCodes.GeoCountryRestricted, "geo.jurisdiction",
                $"{model.Id} is available only to callers in {AllowedNames(model)}; this request came from {country} ({client}). " +
                "Contact your administrator about an export licence.");
        }
        context.Record(Layer, "geo.jurisdiction", "allow", model.IsRestricted ? $"{country} is allowed" : $"{model.Id} is not limited to any jurisdiction");
        return StageResult.Continue;
    }

    private static string AllowedNames(Models.ModelDefinition model) =>
        string.Join(" or ", model.AllowedJurisdictions.Select(j => j.DisplayName));
}
