namespace Gatehouse.Engine.Identity;

/// <param name="Name">What people call it; <see cref="LegalName"/> is what registers and sanctions lists call it.</param>
public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt)
{
    public string? LegalName { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code of the country the organisation is registered in.</summary>
    public string? RegisteredCountry { get; init; }

    /// <summary>Whether a model refused for jurisdiction reasons may be served by its configured substitute.</summary>
    public bool AcceptsSubstitutes { get; init; }
}

public enum AccountStatus
{
    Active,

    /// <summary>Raised by a rule and waiting for a reviewer; restricted models are refused meanwhile.</summary>
    Flagged,

    /// <summary>Every key refused until a reviewer reinstates the account.</summary>
    Suspended,

    /// <summary>For good: a closed account is never reinstated.</summary>
    Closed,
}

public enum VerificationStatus
{
    Unverified,
    Verified,
    Rejected,
}

/// <summary>Where the account's invoices go. Only <see cref="Country"/> is required; it is what the rules read.</summary>
public sealed record BillingAddress(string? Line1, string? Line2, string? City, string? PostalCode, string Country);

/// <summary>
/// Know-your-customer facts about an account holder. Only the card's country is kept: the
/// payment processor reports it, and a card number has no business in this database.
/// </summary>
public sealed record KycProfile
{
    public static KycProfile None { get; } = new();

    public string? LegalName { get; init; }
    public string? RegisteredCountry { get; init; }
    public BillingAddress? Billing { get; init; }
    public string? CardCountry { get; init; }
    public VerificationStatus Verification { get; init; }
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>How the verification was done, in the reviewer's words (e.g. <c>document</c>, <c>video call</c>).</summary>
    public string? VerificationMethod { get; init; }
}

public sealed record Account(string Id, string OrganizationId, string Name, string? Email, DateTimeOffset CreatedAt)
{
    public KycProfile Kyc { get; init; } = KycProfile.None;
    public AccountStatus Status { get; init; } = AccountStatus.Active;

    /// <summary>Why the status last changed: a reviewer's comment or the rule that changed it.</summary>
    public string? StatusReason { get; init; }

    public DateTimeOffset? StatusChangedAt { get; init; }
}

/// <summary>At most <see cref="Requests"/> requests per <see cref="Window"/> for one key.</summary>
public sealed record RateLimit(int Requests, TimeSpan Window)
{
    public override string ToString() => $"{Requests} per {Configuration.Duration.Format(Window)}";
}

/// <summary>A data-plane key. <see cref="SecretHash"/> is the only trace of the secret.</summary>
public sealed record ApiKeyRecord(string Id, string AccountId, string Name, byte[] SecretHash, DateTimeOffset CreatedAt)
{
    /// <summary>From this instant the key is refused; rotation sets it to the end of the grace period.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The key rotation issued in this one's place.</summary>
    public string? ReplacedBy { get; init; }

    /// <summary>Where the key may be used from; empty means anywhere.</summary>
    public Networking.NetworkSet AllowedNetworks { get; init; } = Networking.NetworkSet.None;

    public RateLimit? RateLimit { get; init; }

    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt <= now;

    public override string ToString() => $"ApiKey {Id} ({Name}) of {AccountId}";
}

public static class AdminRoles
{
    /// <summary>Manages everything.</summary>
    public const string Admin = "admin";

    /// <summary>Reads everything; works the review queue and suspends or reinstates accounts.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Reads everything, changes nothing.</summary>
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Admin, Reviewer, Auditor];
}

public sealed record AdminTokenRecord(string Id, string Role, string Name, byte[] SecretHash, DateTimeOffset CreatedAt)
{
    public DateTimeOffset? RevokedAt { get; init; }

    public override string ToString() => $"AdminToken {Id} ({Name}, {Role})";
}

/// <summary>Everything the identity snapshot is built from, as the store returns it.</summary>
public sealed record IdentityData(
    IReadOnlyList<Organization> Organizations,
    IReadOnlyList<Account> Accounts,
    IReadOnlyList<ApiKeyRecord> ApiKeys,
    IReadOnlyList<AdminTokenRecord> AdminTokens)
{
    public static IdentityData Empty { get; } = new([], [], [], []);

    public IReadOnlyList<Licensing.ExportLicense> Licenses { get; init; } = [];

    /// <summary>The kill switches operators have set, enabled or disabled.</summary>
    public IReadOnlyList<Models.ModelSwitch> ModelSwitches { get; init; } = [];

    /// <summary>Endpoints created through the admin API.</summary>
    public IReadOnlyList<Models.StoredEndpoint> Endpoints { get; init; } = [];

    /// <summary>Policies put through the admin API, deleted ones included.</summary>
    public IReadOnlyList<Policy.StoredPolicy> Policies { get; init; } = [];

    /// <summary>Open <c>identity.sanctions_match</c> flags: while one is open, its account is held.</summary>
    public IReadOnlyList<Flag> OpenSanctionsFlags { get; init; } = [];

    /// <summary>This data with a stored change applied: changed records replaced in place, new ones appended.</summary>
    public IdentityData Apply(IdentityChange change) => change.ChangesSnapshot
        ? new(Merge(Organizations, change.Organizations, o => o.Id),
              Merge(Accounts, change.Accounts, a => a.Id),
              Merge(ApiKeys, change.ApiKeys, k => k.Id),
              Merge(AdminTokens, change.AdminTokens, t => t.Id))
        {
            Licenses = Merge(Licenses, change.Licenses, l => l.Id),
            ModelSwitches = Merge(ModelSwitches, change.ModelSwitches, s => s.ModelId),
            Endpoints = Merge(Endpoints, change.Endpoints, e => e.Id),
            Policies = Merge(Policies, change.Policies, p => p.Id),
            OpenSanctionsFlags = [.. Merge(OpenSanctionsFlags, [.. change.Flags.Where(f => f.Match is not null)], f => f.Id).Where(f => f.IsOpen)],
        }
        : this;

    /// <remarks>A record changed twice in one change (created, then flagged) ends as its last version.</remarks>
    private static IReadOnlyList<T> Merge<T>(IReadOnlyList<T> current, IReadOnlyList<T> changed, Func<T, string> id)
    {
        if (changed.Count == 0)
        {
            return current;
        }
        var pending = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in changed)
        {
            pending[id(item)] = item;
        }
        var merged = new List<T>(current.Count + pending.Count);
        foreach (var item in current)
        {
            merged.Add(pending.Remove(id(item), out var replacement) ? replacement : item);
        }
        foreach (var item in changed)
        {
            if (pending.Remove(id(item), out var latest))
            {
                merged.Add(latest);
            }
        }
        return merged;
    }
}

/// <summary>
/// Who a decision is about: the authenticated key with its account and organisation, or, for a
/// hypothetical question asked through the explain API, an account without a key.
/// </summary>
public sealed record Principal(ApiKeyRecord? Key, Account Account, Organization Organization)
{
    /// <summary>The organisation's export licences, in force or not (the decision judges them at its own instant).</summary>
    public IReadOnlyList<Licensing.ExportLicense> Licenses { get; init; } = [];

    /// <summary>An open sanctions match on the account or its organisation, which holds the account until a reviewer decides.</summary>
    public Flag? SanctionsFlag { get; init; }

    /// <summary>
    /// What the identity rules read of the account, copied in when the snapshot is built, so
    /// that judging a request touches this one object rather than a chain of them.
    /// </summary>
    public AccountFacts Facts { get; } = AccountFacts.Of(Account);
}

/// <summary>An account's status, verification and countries (as <see cref="Geo.CountrySet"/> indexes; <see cref="Geo.CountrySet.None"/> when not on file).</summary>
public readonly record struct AccountFacts(AccountStatus Status, VerificationStatus Verification, short Billing, short Card, short Registered)
{
    public static AccountFacts Of(Account account) => new(
        account.Status,
        account.Kyc.Verification,
        (short)Geo.CountrySet.IndexOf(account.Kyc.Billing?.Country),
        (short)Geo.CountrySet.IndexOf(account.Kyc.CardCountry),
        (short)Geo.CountrySet.IndexOf(account.Kyc.RegisteredCountry));
}

