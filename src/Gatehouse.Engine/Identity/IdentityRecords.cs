namespace Gatehouse.Engine.Identity;

public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt);

public sealed record Account(string Id, string OrganizationId, string Name, string? Email, DateTimeOffset CreatedAt);

/// <summary>A data-plane key. <see cref="SecretHash"/> is the only trace of the secret.</summary>
public sealed record ApiKeyRecord(string Id, string AccountId, string Name, byte[] SecretHash, DateTimeOffset CreatedAt)
{
    public override string ToString() => $"ApiKey {Id} ({Name}) of {AccountId}";
}

public static class AdminRoles
{
    public const string Admin = "admin";
}

public sealed record AdminTokenRecord(string Id, string Role, string Name, byte[] SecretHash, DateTimeOffset CreatedAt)
{
    public override string ToString() => $"AdminToken {Id} ({Name}, {Role})";
}

/// <summary>Everything the identity snapshot is built from, as the store returns it.</summary>
public sealed record IdentityData(
    IReadOnlyList<Organization> Organizations,
    IReadOnlyList<Account> Accounts,
    IReadOnlyList<ApiKeyRecord> ApiKeys,
    IReadOnlyList<AdminTokenRecord> AdminTokens);

/// <summary>
/// Who a decision is about: the authenticated key with its account and organisation, or, for a
/// hypothetical question asked through the explain API, an account without a key.
/// </summary>
public sealed record Principal(ApiKeyRecord? Key, Account Account, Organization Organization);
