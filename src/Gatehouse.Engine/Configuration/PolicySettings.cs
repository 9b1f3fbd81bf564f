using System.Collections.Frozen;
using Gatehouse.Engine.Policy;

namespace Gatehouse.Engine.Configuration;

/// <summary>
/// Layer 3's policies, compiled when the configuration is read: one set for the whole gateway and
/// one per organisation. A request must be allowed by every set that applies to it (explicit Deny
/// in any wins, as with service-control policies at each level); with none, Layer 3 allows.
/// </summary>
public sealed record PolicySettings(PolicySet Gateway, FrozenDictionary<string, PolicySet> Organizations)
{
    public static PolicySettings None { get; } = new(PolicySet.Empty, FrozenDictionary<string, PolicySet>.Empty);

    /// <summary>The organisation's set, or null when it has none with statements.</summary>
    public PolicySet? ForOrganization(string? organizationId) =>
        organizationId is not null && Organizations.TryGetValue(organizationId, out var set) && set.HasStatements ? set : null;

    /// <summary>
    /// These sets with the stored documents added, after the configured ones, to the levels they
    /// are attached to: a stored policy takes part in its level's decision as a file would.
    /// </summary>
    public PolicySettings With(StoredPolicies stored)
    {
        if (stored.IsEmpty)
        {
            return this;
        }
        var organizations = new Dictionary<string, PolicySet>(Organizations, StringComparer.Ordinal);
        foreach (var (organization, documents) in stored.Organizations)
        {
            organizations[organization] = PolicySet.Compile([.. Organizations.GetValueOrDefault(organization)?.Documents ?? [], .. documents]);
        }
        var gateway = stored.Gateway.Count == 0 ? Gateway : PolicySet.Compile([.. Gateway.Documents, .. stored.Gateway]);
        return new(gateway, organizations.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Whether any policy applies to a request of this organisation (or of none); if not, Layer 3 allows.</summary>
    public bool AppliesTo(string? organizationId) => Gateway.HasStatements || ForOrganization(organizationId) is not null;

    /// <summary>
    /// The request under every set that applies: an explicit Deny in either is the answer before
    /// an implicit one; allowed only when each allows. Allocates nothing.
    /// </summary>
    public PolicyVerdict Evaluate(PolicyRequest request, string? organizationId)
    {
        const string AtGateway = "the gateway's policies";
        const string AtOrganization = "the organisation's policies";
        PolicyEvaluation? atGateway = Gateway.HasStatements ? Gateway.Evaluate(request) : null;
        PolicyEvaluation? atOrganization = ForOrganization(organizationId)?.Evaluate(request);
        return (atGateway, atOrganization) switch
        {
            ({ Outcome: PolicyOutcome.ExplicitDeny } deny, _) => new(deny, AtGateway),
            (_, { Outcome: PolicyOutcome.ExplicitDeny } deny) => new(deny, AtOrganization),
            ({ IsAllowed: false } refusal, _) => new(refusal, AtGateway),
            (_, { IsAllowed: false } refusal) => new(refusal, AtOrganization),
            (_, { } allowed) => new(allowed, AtOrganization),
            ({ } allowed, null) => new(allowed, AtGateway),
            _ => new(new PolicyEvaluation(PolicyOutcome.Allow, null), "no policy"),
        };
    }
}

/// <summary>A request's fate under the policies that apply, and which level decided (<c>the gateway's policies</c>, <c>the organisation's policies</c>).</summary>
public readonly record struct PolicyVerdict(PolicyEvaluation Evaluation, string Level)
{
    public bool IsAllowed => Evaluation.IsAllowed;

    public override string ToString() => $"{Evaluation} ({Level})";
}
