using System.Collections.Frozen;

namespace Gatehouse.Engine.Policy;

/// <summary>
/// A policy document kept in the store rather than in a file: put and deleted through the admin
/// API, so that every gateway sharing the store applies the same version, from the moment it is
/// announced. It joins the configured documents of each level it is attached to. Every put and
/// delete is a new version, kept for good, so which document was in force when can be read back.
/// </summary>
/// <param name="Id">The operator's name for it, e.g. <c>keep-in-eu</c>.</param>
/// <param name="Version">1 for the first put, one more for each put or delete after it.</param>
/// <param name="Document">The document's JSON text, exactly as it was put, so that error lines stay true.</param>
/// <param name="Gateway">Whether it applies to every request, beside <c>policies.gateway</c>.</param>
/// <param name="Organizations">The organisations whose requests it applies to, beside <c>policies.organizations</c>.</param>
/// <param name="ChangedBy">The admin token (<c>gha_… (role)</c>) that last put or deleted it.</param>
/// <param name="DeletedAt">When it was deleted; a deleted policy applies nowhere, and putting it again brings it back.</param>
public sealed record StoredPolicy(
    string Id,
    int Version,
    string Document,
    bool Gateway,
    IReadOnlyList<string> Organizations,
    DateTimeOffset CreatedAt,
    DateTimeOffset ChangedAt,
    string ChangedBy,
    DateTimeOffset? DeletedAt = null)
{
    /// <summary>The name its statements are reported under, told apart from a file's path.</summary>
    public string DocumentName => $"stored policy {Id}";

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>The document's SHA-256 in hex: what the audit log records of it, and what tells two versions apart.</summary>
    public string DocumentSha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Document)));
}

/// <summary>
/// The stored policies in force, parsed, by the level they are attached to. A document that no
/// longer parses (written by a newer Gatehouse, or edited in the database by hand) is replaced by
/// one that denies everything at its levels: a policy that cannot be read must not stop applying.
/// </summary>
public sealed class StoredPolicies
{
    private const string DenyEverything = """{"Statement": {"Sid": "UnreadableStoredPolicy", "Effect": "Deny", "Action": "*", "Resource": "*"}}""";

    private StoredPolicies(IReadOnlyList<PolicyDocument> gateway, FrozenDictionary<string, IReadOnlyList<PolicyDocument>> organizations, IReadOnlyList<string> unreadable)
    {
        Gateway = gateway;
        Organizations = organizations;
        Unreadable = unreadable;
    }

    public static StoredPolicies None { get; } = new([], FrozenDictionary<string, IReadOnlyList<PolicyDocument>>.Empty, []);

    public IReadOnlyList<PolicyDocument> Gateway { get; }

    public FrozenDictionary<string, IReadOnlyList<PolicyDocument>> Organizations { get; }

    /// <summary>What went wrong with each document that did not parse, for the log.</summary>
    public IReadOnlyList<string> Unreadable { get; }

    public bool IsEmpty => Gateway.Count == 0 && Organizations.Count == 0;

    /// <summary>Parses the policies that are not deleted, in the order given.</summary>
    public static StoredPolicies Of(IReadOnlyList<StoredPolicy> policies)
    {
        var gateway = new List<PolicyDocument>();
        var organizations = new Dictionary<string, List<PolicyDocument>>(StringComparer.Ordinal);
        var unreadable = new List<string>();
        foreach (var policy in policies.Where(p => !p.IsDeleted))
        {
            PolicyDocument document;
            try
            {
                document = PolicyDocument.Parse(policy.Document, policy.DocumentName);
            }
            catch (PolicyException e)
            {
                unreadable.Add($"{policy.DocumentName} does not parse, so it denies everything where it is attached: {e.Errors[0]}");
                document = PolicyDocument.Parse(DenyEverything, policy.DocumentName);
            }
            if (policy.Gateway)
            {
                gateway.Add(document);
            }
            foreach (var organization in policy.Organizations)
            {
                (organizations.TryGetValue(organization, out var list) ? list : organizations[organization] = []).Add(document);
            }
        }
        return gateway.Count == 0 && organizations.Count == 0 && unreadable.Count == 0
            ? None
            : new(gateway, organizations.ToFrozenDictionary(p => p.Key, p => (IReadOnlyList<PolicyDocument>)p.Value, StringComparer.Ordinal), unreadable);
    }
}

/// <summary>Where decisions learn of the stored policies.</summary>
public interface IStoredPolicies
{
    /// <summary>The configured policies with the stored ones added to the levels they are attached to.</summary>
    Configuration.PolicySettings Effective(Configuration.PolicySettings configured);
}
