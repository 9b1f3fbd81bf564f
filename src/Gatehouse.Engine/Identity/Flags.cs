namespace Gatehouse.Engine.Identity;

/// <summary>
/// Something about an account a person should look at, with the decisions that raised it. One
/// flag stays open per account and reason; later decisions for the same reason add evidence to it.
/// </summary>
/// <param name="Reason">The reason code of the decisions that raised it, or <see cref="FlagReasons.RepeatedOutsideDenials"/>.</param>
/// <param name="Summary">One sentence for the reviewer.</param>
public sealed record Flag(string Id, string AccountId, string Reason, string Summary, DateTimeOffset RaisedAt)
{
    /// <summary>The most recent evidence, newest last, at most <see cref="MaxEvidence"/> items.</summary>
    public IReadOnlyList<FlagEvidence> Evidence { get; init; } = [];

    /// <summary>How many decisions raised or repeated this flag, including those no longer kept as evidence.</summary>
    public int Occurrences { get; init; }

    /// <summary>Null while the flag is open.</summary>
    public FlagReview? Review { get; init; }

    /// <summary>For a <c>identity.sanctions_match</c> flag: the list entry the account resembles. One flag per account and entry.</summary>
    public SanctionsMatchEvidence? Match { get; init; }

    public bool IsOpen => Review is null;

    /// <summary>Enough to see a pattern without letting one noisy account grow its flag without bound.</summary>
    public const int MaxEvidence = 50;

    /// <summary>This flag with one more decision as evidence.</summary>
    public Flag WithEvidence(FlagEvidence evidence) => this with
    {
        Evidence = [.. Evidence.Skip(Math.Max(0, Evidence.Count + 1 - MaxEvidence)), evidence],
        Occurrences = Occurrences + 1,
    };
}

/// <summary>One decision that raised a flag, as it was seen.</summary>
public sealed record FlagEvidence(
    string DecisionId,
    DateTimeOffset Time,
    string Client,
    string? Country,
    string NetworkType,
    uint Asn,
    string? NetworkName,
    string Model,
    string ReasonCode,
    string Message);

/// <summary>
/// A name of the account (or of its organisation) that resembles a sanctions list entry. The
/// entry's fingerprint is kept so that a cleared false positive is raised again only if the entry
/// itself changes.
/// </summary>
/// <param name="Subject"><c>organization</c> or <c>account</c>: whose name matched.</param>
/// <param name="SubjectId">The organisation or account id.</param>
/// <param name="ScreenedName">The name as screened (legal name, or name when there is none).</param>
/// <param name="EntryKey"><c>source:entryId</c> of the list entry.</param>
/// <param name="EntryName">The entry's primary name.</param>
/// <param name="MatchedName">The entry's name (primary or alias) that scored highest.</param>
public sealed record SanctionsMatchEvidence(
    string Subject,
    string SubjectId,
    string ScreenedName,
    string EntryKey,
    string EntryFingerprint,
    string EntryName,
    string MatchedName,
    double Score,
    bool CountryMatched,
    bool AddressMatched,
    string? Programs)
{
    public const string OrganizationSubject = "organization";
    public const string AccountSubject = "account";
}

public enum ReviewAction
{
    /// <summary>Nothing wrong after all: the flag closes and a flagged account becomes active again.</summary>
    Clear,

    /// <summary>The account is suspended.</summary>
    Suspend,

    /// <summary>The account becomes active again, whatever its status was (unless closed).</summary>
    Reinstate,
}

public sealed record FlagReview(ReviewAction Action, string Comment, string Reviewer, DateTimeOffset At);

public static class FlagReasons
{
    /// <summary>Too many requests for restricted models from outside their jurisdictions within the window.</summary>
    public const string RepeatedOutsideDenials = "identity.repeated_outside_denials";
}

/// <summary>
/// One change to the identity records (an admin action or an automatic one): stored in one
/// transaction, together with its audit entries, then applied to the snapshot.
/// </summary>
public sealed record IdentityChange
{
    public IReadOnlyList<Organization> Organizations { get; init; } = [];
    public IReadOnlyList<Account> Accounts { get; init; } = [];
    public IReadOnlyList<ApiKeyRecord> ApiKeys { get; init; } = [];
    public IReadOnlyList<AdminTokenRecord> AdminTokens { get; init; } = [];
    public IReadOnlyList<Licensing.ExportLicense> Licenses { get; init; } = [];
    public IReadOnlyList<Models.ModelSwitch> ModelSwitches { get; init; } = [];
    public IReadOnlyList<Models.StoredEndpoint> Endpoints { get; init; } = [];
    public IReadOnlyList<Policy.StoredPolicy> Policies { get; init; } = [];
    public IReadOnlyList<Flag> Flags { get; init; } = [];
    public IReadOnlyList<AuditEntry> Audit { get; init; } = [];

    /// <summary>
    /// Whether the change touches what the in-memory snapshot holds. Flags live in the store,
    /// except sanctions matches, which hold an account's requests while they are open.
    /// </summary>
    public bool ChangesSnapshot =>
        Organizations.Count + Accounts.Count + ApiKeys.Count + AdminTokens.Count + Licenses.Count + ModelSwitches.Count + Endpoints.Count + Policies.Count > 0 || Flags.Any(f => f.Match is not null);

    /// <summary>Both changes, to be stored in one transaction; <paramref name="other"/>'s records win where both hold one.</summary>
    public IdentityChange Combine(IdentityChange other) => new()
    {
        Organizations = [.. Organizations, .. other.Organizations],
        Accounts = [.. Accounts, .. other.Accounts],
        ApiKeys = [.. ApiKeys, .. other.ApiKeys],
        AdminTokens = [.. AdminTokens, .. other.AdminTokens],
        Licenses = [.. Licenses, .. other.Licenses],
        ModelSwitches = [.. ModelSwitches, .. other.ModelSwitches],
        Endpoints = [.. Endpoints, .. other.Endpoints],
        Policies = [.. Policies, .. other.Policies],
        Flags = [.. Flags, .. other.Flags],
        Audit = [.. Audit, .. other.Audit],
    };
}

/// <summary>
/// A change to the identity records, who made it and why. The hash-chained decision log comes
/// later; this table records every change made through the admin API or by a rule.
/// </summary>
/// <param name="Actor">The admin token (<c>gha_… (role)</c>) or <see cref="SystemActor"/> for a rule.</param>
/// <param name="Action">What was done, e.g. <c>account.suspend</c>, <c>key.rotate</c>.</param>
/// <param name="TargetId">The record changed.</param>
/// <param name="Changes">The fields that changed, <c>field: old → new</c>, separated by <c>; </c>.</param>
/// <param name="Comment">The person's reason, where one was given.</param>
public sealed record AuditEntry(string Id, DateTimeOffset Time, string Actor, string Action, string TargetId, string Changes, string? Comment)
{
    public const string SystemActor = "gatehouse";
}
