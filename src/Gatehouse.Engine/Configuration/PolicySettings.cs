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
}
