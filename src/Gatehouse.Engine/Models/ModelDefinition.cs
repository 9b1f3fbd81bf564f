using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Models;

/// <summary>A model operators offer through the gateway, with the rules that travel with it.</summary>
public sealed class ModelDefinition
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public required IReadOnlyList<string> Aliases { get; init; }
    public required string Classification { get; init; }
    public string? Eccn { get; init; }

    /// <summary>The identity checks of this model's classification, chosen once when the configuration is read.</summary>
    public required IdentityRuleSet IdentityRules { get; init; }

    /// <summary>Where callers may be; empty means anywhere not denied.</summary>
    public required IReadOnlyList<Jurisdiction> AllowedJurisdictions { get; init; }

    public required IReadOnlyList<Jurisdiction> DeniedJurisdictions { get; init; }

    /// <summary>
    /// The model that may serve requests this one is refused for jurisdiction reasons only, for
    /// organisations that opt in (typically an open-weight model in place of a restricted one).
    /// </summary>
    public string? Substitute { get; init; }

    /// <summary>What the model's tokens cost; null when the configuration names no price (its tokens are still counted, at no cost).</summary>
    public Usage.ModelPrice? Price { get; init; }

    /// <summary>The model's endpoints in configuration order, the order they are tried in.</summary>
    public required IReadOnlyList<EndpointDefinition> Endpoints { get; init; }

    /// <summary>
    /// A model limited to named jurisdictions. Its caller's location must be known and inside them,
    /// so anything that leaves the location unknown refuses it.
    /// </summary>
    public bool IsRestricted => AllowedJurisdictions.Count > 0;

    /// <summary><c>model/&lt;id&gt;</c>, the model as a policy resource, built once rather than per request.</summary>
    public string PolicyResource => _policyResource ??= Policy.PolicyResources.Model(Id);

    private string? _policyResource;

    public Jurisdiction? AllowingJurisdiction(GeoLocation location) => Jurisdictions.FirstContaining(AllowedJurisdictions, location);

    public Jurisdiction? DenyingJurisdiction(GeoLocation location) => Jurisdictions.FirstContaining(DeniedJurisdictions, location);
}
