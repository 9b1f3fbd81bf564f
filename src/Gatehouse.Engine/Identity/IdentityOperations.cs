using Gatehouse.Engine.Licensing;

namespace Gatehouse.Engine.Identity;

/// <summary>
/// Every change an administrator, a reviewer or a rule can make to the identity records, as a
/// function of the snapshot in force: each returns the records to store with their audit entry,
/// and touches neither the store nor the snapshot. The admin API, the automatic rules and the
/// property tests all go through here, so a rule such as "a closed account stays closed" holds
/// in one place.
/// </summary>
public sealed class IdentityOperations(TimeProvider timeProvider)
{
    /// <summary>A change to store and what it produced (the record, or a new key's secret).</summary>
    public sealed record Outcome<T>(IdentityChange Change, T Result);

    private DateTimeOffset Now => timeProvider.GetUtcNow();

    public Outcome<Organization> CreateOrganization(string actor, string name, string? legalName, string? registeredCountry, bool acceptsSubstitutes = false)
    {
        var organization = new Organization(Identifiers.New("org"), name, Now) { LegalName = legalName, RegisteredCountry = registeredCountry, AcceptsSubstitutes = acceptsSubstitutes };
        return new(new IdentityChange
        {
            Organizations = [organization],
            Audit = [Audit(actor, "organization.create", organization.Id, AuditChanges.Of(null, organization), null)],
        }, organization);
    }

    public Outcome<Organization> UpdateOrganization(IdentitySnapshot snapshot, string actor, string id, Func<Organization, Organization> update)
    {
        var before = snapshot.TryGetOrganization(id, out var found) ? found : throw IdentityOperationException.NotFound($"There is no organisation {id}.");
        var after = update(before) with { Id = before.Id, CreatedAt = before.CreatedAt };
        return new(new IdentityChange
        {
            Organizations = [after],
            Audit = [Audit(actor, "organization.update", id, AuditChanges.Of(before, after), null)],
        }, after);
    }

    public Outcome<Account> CreateAccount(IdentitySnapshot snapshot, string actor, string organizationId, string name, string? email, KycProfile kyc)
    {
        if (!snapshot.TryGetOrganization(organizationId, out _))
        {
            throw IdentityOperationException.NotFound($"There is no organisation {organizationId}.");
        }
        var account = new Account(Identifiers.New("acc"), organizationId, name, email, Now) { Kyc = Verified(null, kyc) };
        return new(new IdentityChange
        {
            Accounts = [account],
            Audit = [Audit(actor, "account.create", account.Id, AuditChanges.Of(null, account), null)],
        }, account);
    }

    /// <summary>Changes the account's details and KYC profile; its status changes only through <see cref="ChangeAccountStatus"/>.</summary>
    public Outcome<Account> UpdateAccount(IdentitySnapshot snapshot, string actor, string id, Func<Account, Account> update)
    {
        var before = Account(snapshot, id);
        var updated = update(before);
        var after = before with { Name = updated.Name, Email = updated.Email, Kyc = Verified(before.Kyc, updated.Kyc) };
        return new(new IdentityChange
        {
            Accounts = [after],
            Audit = [Audit(actor, "account.update", id, AuditChanges.Of(before, after), null)],
        }, after);
    }

    /// <summary>Suspends, reinstates or closes an account. A closed account never changes again.</summary>
    public Outcome<Account> ChangeAccountStatus(IdentitySnapshot snapshot, string actor, string id, AccountStatus status, string comment)
    {
        var before = Account(snapshot, id);
        var after = WithStatus(before, status, comment);
        return new(new IdentityChange
        {
            Accounts = [after],
            Audit = [Audit(actor, $"account.{Verb(status)}", id, AuditChanges.Of(before, after), comment)],
        }, after);
    }

    public Outcome<IssuedKey> CreateKey(IdentitySnapshot snapshot, string actor, string accountId, string name, DateTimeOffset? expiresAt, Networking.NetworkSet allowedNetworks, RateLimit? rateLimit)
    {
        var account = Account(snapshot, accountId);
        if (account.Status == AccountStatus.Closed)
        {
            throw IdentityOperationException.Conflict($"Account {accountId} is closed; it cannot have new keys.");
        }
        if (expiresAt <= Now)
        {
            throw IdentityOperationException.Invalid("expiresAt", "must be in the future");
        }
        var issued = SecretToken.Issue(SecretToken.ApiKeyKind);
        var key = new ApiKeyRecord(issued.Id, accountId, name, issued.SecretHash, Now)
        {
            ExpiresAt = expiresAt,
            AllowedNetworks = allowedNetworks,
            RateLimit = rateLimit,
        };
        return new(new IdentityChange
        {
            ApiKeys = [key],
            Audit = [Audit(actor, "key.create", key.Id, AuditChanges.Of(null, key), null)],
        }, new IssuedKey(key, issued.Token));
    }

    /// <summary>
    /// Issues a successor with the same account, name, networks, limit and expiry, and lets the
    /// old key work until <paramref name="grace"/> has passed, so clients can move over without
    /// an outage.
    /// </summary>
    public Outcome<IssuedKey> RotateKey(IdentitySnapshot snapshot, string actor, string id, TimeSpan grace)
    {
        var old = Key(snapshot, id);
        if (old.RevokedAt is not null || old.IsExpiredAt(Now))
        {
            throw IdentityOperationException.Conflict($"Key {id} is {(old.RevokedAt is null ? "expired" : "revoked")}; create a new key instead.");
        }
        if (old.ReplacedBy is { } successor)
        {
            throw IdentityOperationException.Conflict($"Key {id} was already rotated; its successor is {successor}.");
        }
        var issued = SecretToken.Issue(SecretToken.ApiKeyKind);
        var replacement = new ApiKeyRecord(issued.Id, old.AccountId, old.Name, issued.SecretHash, Now)
        {
            ExpiresAt = old.ExpiresAt,
            AllowedNetworks = old.AllowedNetworks,
            RateLimit = old.RateLimit,
        };
        var graceEnd = Now + grace;
        var retired = old with { ExpiresAt = old.ExpiresAt < graceEnd ? old.ExpiresAt : graceEnd, ReplacedBy = replacement.Id };
        return new(new IdentityChange
        {
            ApiKeys = [retired, replacement],
            Audit =
            [
                Audit(actor, "key.rotate", old.Id, AuditChanges.Of(old, retired), null),
                Audit(actor, "key.create", replacement.Id, AuditChanges.Of(null, replacement), $"rotated from {old.Id}"),
            ],
        }, new IssuedKey(replacement, issued.Token));
    }

    public Outcome<ApiKeyRecord> RevokeKey(IdentitySnapshot snapshot, string actor, string id, string? comment)
    {
        var before = Key(snapshot, id);
        if (before.RevokedAt is not null)
        {
            throw IdentityOperationException.Conflict($"Key {id} was already revoked at {before.RevokedAt:u}.");
        }
        var after = before with { RevokedAt = Now };
        return new(new IdentityChange
        {
            ApiKeys = [after],
            Audit = [Audit(actor, "key.revoke", id, AuditChanges.Of(before, after), comment)],
        }, after);
    }

    public Outcome<IssuedAdminToken> CreateAdminToken(string actor, string role, string name)
    {
        if (!AdminRoles.All.Contains(role))
        {
            throw IdentityOperationException.Invalid("role", $"must be one of {string.Join(", ", AdminRoles.All)}");
        }
        var issued = SecretToken.Issue(SecretToken.AdminTokenKind);
        var token = new AdminTokenRecord(issued.Id, role, name, issued.SecretHash, Now);
        return new(new IdentityChange
        {
            AdminTokens = [token],
            Audit = [Audit(actor, "token.create", token.Id, AuditChanges.Of(null, token), null)],
        }, new IssuedAdminToken(token, issued.Token));
    }

    public Outcome<AdminTokenRecord> RevokeAdminToken(IdentitySnapshot snapshot, string actor, string id)
    {
        var before = snapshot.TryGetAdminToken(id, out var found) ? found : throw IdentityOperationException.NotFound($"There is no admin token {id}.");
        if (before.RevokedAt is not null)
        {
            throw IdentityOperationException.Conflict($"Admin token {id} was already revoked.");
        }
        if (before.Role == AdminRoles.Admin && !snapshot.Data.AdminTokens.Any(t => t.Id != id && t.Role == AdminRoles.Admin && t.RevokedAt is null))
        {
            throw IdentityOperationException.Conflict($"Admin token {id} is the last one with the admin role; create another before revoking it.");
        }
        var after = before with { RevokedAt = Now };
        return new(new IdentityChange
        {
            AdminTokens = [after],
            Audit = [Audit(actor, "token.revoke", id, AuditChanges.Of(before, after), null)],
        }, after);
    }

    /// <summary>
    /// Raises a flag on an account, or adds the evidence to its open flag for the same reason, and
    /// moves the account to <paramref name="status"/> when that is more severe than its own
    /// (active → flagged → suspended).
    /// </summary>
    public Outcome<Flag> RaiseFlag(IdentitySnapshot snapshot, Flag? open, string accountId, string reason, string summary, IReadOnlyList<FlagEvidence> evidence, AccountStatus status)
    {
        var account = Account(snapshot, accountId);
        var flag = open ?? new Flag(Identifiers.New("flag"), accountId, reason, summary, Now);
        flag = evidence.Aggregate(flag, (f, e) => f.WithEvidence(e));
        return Raised(account, flag, isNew: open is null, status);
    }

    /// <summary>
    /// Flags <paramref name="account"/> (which may be one created in the same change) for a
    /// sanctions list entry its name, or its organisation's, resembles. The account is held while
    /// the flag is open; see <see cref="Decisions.AccountStage"/>.
    /// </summary>
    public Outcome<Flag> FlagSanctionsMatch(Account account, SanctionsMatchEvidence match)
    {
        var whose = match.Subject == SanctionsMatchEvidence.OrganizationSubject ? $"organisation {match.SubjectId}" : $"account {match.SubjectId}";
        var summary = $"The name of {whose}, '{match.ScreenedName}', resembles '{match.MatchedName}' on sanctions list entry {match.EntryKey} " +
            $"({match.EntryName}{(match.Programs is null ? "" : "; " + match.Programs)}), score {match.Score:0.000}{(match.CountryMatched ? ", same country" : "")}{(match.AddressMatched ? ", an address in the same place" : "")}.";
        var flag = new Flag(Identifiers.New("flag"), account.Id, Decisions.ReasonCodes.SanctionsMatch, summary, Now) { Match = match, Occurrences = 1 };
        return Raised(account, flag, isNew: true, AccountStatus.Flagged);
    }

    private Outcome<Flag> Raised(Account account, Flag flag, bool isNew, AccountStatus status)
    {
        var audit = new List<AuditEntry>();
        if (isNew)
        {
            audit.Add(Audit(AuditEntry.SystemActor, "flag.raise", flag.Id, $"account: - → {account.Id}; reason: - → {flag.Reason}", flag.Summary));
        }
        List<Account> accounts = [];
        if (status > account.Status && account.Status != AccountStatus.Closed)
        {
            var after = WithStatus(account, status, flag.Summary);
            accounts.Add(after);
            audit.Add(Audit(AuditEntry.SystemActor, $"account.{Verb(status)}", account.Id, AuditChanges.Of(account, after), $"{flag.Id}: {flag.Summary}"));
        }
        return new(new IdentityChange { Accounts = accounts, Flags = [flag], Audit = audit }, flag);
    }

    /// <summary>
    /// Switches a configured model off (<paramref name="disabled"/>) or on again, for everyone.
    /// Checking that the model exists is the caller's: models live in the configuration.
    /// </summary>
    public Outcome<Models.ModelSwitch> SwitchModel(IdentitySnapshot snapshot, string actor, string modelId, bool disabled, string reason)
    {
        var current = snapshot.DisabledSwitch(modelId);
        if ((current is not null) == disabled)
        {
            throw IdentityOperationException.Conflict(disabled
                ? $"Model {modelId} is already disabled (since {current!.ChangedAt:u}: {current.Reason})."
                : $"Model {modelId} is not disabled.");
        }
        var after = new Models.ModelSwitch(modelId, disabled, reason, Now, actor);
        var changes = disabled ? "disabled: false → true" : "disabled: true → false";
        return new(new IdentityChange
        {
            ModelSwitches = [after],
            Audit = [Audit(actor, disabled ? "model.disable" : "model.enable", modelId, changes, reason)],
        }, after);
    }

    /// <summary>
    /// Stores an endpoint created through the admin API. Whether the policies allow it, and
    /// whether its id is free among the configured ones, is the caller's to check first.
    /// </summary>
    public Outcome<Models.StoredEndpoint> CreateEndpoint(IdentitySnapshot snapshot, string actor, Models.StoredEndpoint terms)
    {
        if (snapshot.Data.Endpoints.Any(e => e.Id == terms.Id))
        {
            throw IdentityOperationException.Conflict($"There is already an endpoint {terms.Id}.");
        }
        if (terms.OrganizationId is { } organization && !snapshot.TryGetOrganization(organization, out _))
        {
            throw IdentityOperationException.NotFound($"There is no organisation {organization}.");
        }
        var endpoint = terms with { CreatedAt = Now, CreatedBy = actor };
        return new(new IdentityChange
        {
            Endpoints = [endpoint],
            Audit = [Audit(actor, "endpoint.create", endpoint.Id, $"model: - → {endpoint.ModelId}; region: - → {endpoint.Region}; baseUrl: - → {endpoint.BaseUrl}", null)],
        }, endpoint);
    }

    /// <summary>
    /// Stores a policy document under <paramref name="id"/> and attaches it to the gateway and the
    /// organisations named, as the id's next version (a deleted one comes back).
    /// </summary>
    /// <exception cref="Policy.PolicyException">The document does not parse; nothing is stored.</exception>
    public Outcome<Policy.StoredPolicy> PutPolicy(IdentitySnapshot snapshot, string actor, string id, string document, bool gateway, IReadOnlyList<string> organizations, string? comment)
    {
        if (organizations.FirstOrDefault(o => !snapshot.TryGetOrganization(o, out _)) is { } missing)
        {
            throw IdentityOperationException.NotFound($"There is no organisation {missing}.");
        }
        var last = snapshot.Data.Policies.FirstOrDefault(p => p.Id == id);
        var before = last is { IsDeleted: false } ? last : null;
        var after = new Policy.StoredPolicy(id, (last?.Version ?? 0) + 1, document, gateway, [.. organizations.Distinct(StringComparer.Ordinal)],
            before?.CreatedAt ?? Now, Now, actor);
        Policy.PolicyDocument.Parse(document, after.DocumentName);
        return new(new IdentityChange
        {
            Policies = [after],
            Audit = [Audit(actor, "policy.put", id, AuditChanges.Of(before, after), comment)],
        }, after);
    }

    /// <summary>Deletes a stored policy: from the next request it applies nowhere.</summary>
    public Outcome<Policy.StoredPolicy> DeletePolicy(IdentitySnapshot snapshot, string actor, string id, string? comment)
    {
        var before = snapshot.Data.Policies.FirstOrDefault(p => p.Id == id) is { IsDeleted: false } live
            ? live
            : throw IdentityOperationException.NotFound($"There is no stored policy {id}.");
        var after = before with { Version = before.Version + 1, ChangedAt = Now, ChangedBy = actor, DeletedAt = Now };
        return new(new IdentityChange
        {
            Policies = [after],
            Audit = [Audit(actor, "policy.delete", id, $"deletedAt: - → {after.DeletedAt:u}", comment)],
        }, after);
    }

    /// <summary>Grants an export licence to an organisation. Its terms are checked by the caller against the configuration.</summary>
    public Outcome<ExportLicense> GrantLicense(IdentitySnapshot snapshot, string actor, ExportLicense terms)
    {
        if (!snapshot.TryGetOrganization(terms.OrganizationId, out _))
        {
            throw IdentityOperationException.NotFound($"There is no organisation {terms.OrganizationId}.");
        }
        if (terms.ValidTo <= terms.ValidFrom)
        {
            throw IdentityOperationException.Invalid("validTo", "must be after validFrom");
        }
        if (terms.ValidTo <= Now)
        {
            throw IdentityOperationException.Invalid("validTo", "must be in the future");
        }
        if (snapshot.LicensesOf(terms.OrganizationId).FirstOrDefault(l => l.Number == terms.Number && l.StatusAt(Now) == LicenseStatus.Active) is { } existing)
        {
            throw IdentityOperationException.Conflict($"Organisation {terms.OrganizationId} already holds licence {terms.Number} ({existing.Id}); revoke it first to replace it.");
        }
        var license = terms with { Id = Identifiers.New("lic"), CreatedAt = Now, RevokedAt = null, RevocationReason = null };
        return new(new IdentityChange
        {
            Licenses = [license],
            Audit = [Audit(actor, "license.grant", license.Id, AuditChanges.Of(null, license), license.Note)],
        }, license);
    }

    /// <summary>Revokes a licence from this instant: the next request it would have covered is refused.</summary>
    public Outcome<ExportLicense> RevokeLicense(IdentitySnapshot snapshot, string actor, string id, string comment)
    {
        var before = snapshot.TryGetLicense(id, out var found) ? found : throw IdentityOperationException.NotFound($"There is no licence {id}.");
        if (before.RevokedAt is { } revoked)
        {
            throw IdentityOperationException.Conflict($"Licence {id} was already revoked at {revoked:u}.");
        }
        var after = before with { RevokedAt = Now, RevocationReason = comment };
        return new(new IdentityChange
        {
            Licenses = [after],
            Audit = [Audit(actor, "license.revoke", id, AuditChanges.Of(before, after), comment)],
        }, after);
    }

    /// <summary>
    /// A reviewer's verdict on an open flag. Clearing the account's last open flag makes a
    /// flagged account active again; suspending and reinstating set the account's status.
    /// </summary>
    /// <param name="otherOpenFlags">How many other flags of the same account are still open.</param>
    public Outcome<Flag> ReviewFlag(IdentitySnapshot snapshot, string actor, Flag flag, int otherOpenFlags, ReviewAction action, string comment)
    {
        if (!flag.IsOpen)
        {
            throw IdentityOperationException.Conflict($"Flag {flag.Id} was already reviewed ({EnumNames<ReviewAction>.Of(flag.Review!.Action)} by {flag.Review.Reviewer} at {flag.Review.At:u}).");
        }
        var account = Account(snapshot, flag.AccountId);
        var reviewed = flag with { Review = new FlagReview(action, comment, actor, Now) };
        var audit = new List<AuditEntry> { Audit(actor, $"flag.{EnumNames<ReviewAction>.Of(action)}", flag.Id, $"review: - → {EnumNames<ReviewAction>.Of(action)}", comment) };
        AccountStatus? status = action switch
        {
            ReviewAction.Suspend => AccountStatus.Suspended,
            ReviewAction.Reinstate => AccountStatus.Active,
            _ when account.Status == AccountStatus.Flagged && otherOpenFlags == 0 => AccountStatus.Active,
            _ => null,
        };
        List<Account> accounts = [];
        if (status is { } newStatus && newStatus != account.Status)
        {
            var after = WithStatus(account, newStatus, comment);
            accounts.Add(after);
            audit.Add(Audit(actor, $"account.{Verb(newStatus)}", account.Id, AuditChanges.Of(account, after), $"{flag.Id}: {comment}"));
        }
        return new(new IdentityChange { Accounts = accounts, Flags = [reviewed], Audit = audit }, reviewed);
    }

    private Account WithStatus(Account account, AccountStatus status, string reason)
    {
        if (account.Status == AccountStatus.Closed)
        {
            throw IdentityOperationException.Conflict($"Account {account.Id} is closed; a closed account cannot be {Verb(status)}d.");
        }
        if (account.Status == status)
        {
            throw IdentityOperationException.Conflict($"Account {account.Id} is already {EnumNames<AccountStatus>.Of(status)}.");
        }
        return account with { Status = status, StatusReason = reason, StatusChangedAt = Now };
    }

    /// <summary>Verification is stamped when it changes, so its time is the gateway's, not the caller's.</summary>
    private KycProfile Verified(KycProfile? before, KycProfile after) =>
        after.Verification == before?.Verification
            ? after with { VerifiedAt = before.VerifiedAt }
            : after with { VerifiedAt = after.Verification == VerificationStatus.Unverified ? null : Now };

    private static string Verb(AccountStatus status) => status switch
    {
        AccountStatus.Active => "reinstate",
        AccountStatus.Flagged => "flag",
        AccountStatus.Suspended => "suspend",
        _ => "close",
    };

    private static Account Account(IdentitySnapshot snapshot, string id) =>
        snapshot.TryGetAccount(id, out var account) ? account : throw IdentityOperationException.NotFound($"There is no account {id}.");

    private static ApiKeyRecord Key(IdentitySnapshot snapshot, string id) =>
        snapshot.TryGetKey(id, out var key) ? key : throw IdentityOperationException.NotFound($"There is no API key {id}.");

    private AuditEntry Audit(string actor, string action, string targetId, string changes, string? comment) =>
        new(Identifiers.New("aud"), Now, actor, action, targetId, changes, comment);
}

/// <summary>A new key's record and the whole key, which exists nowhere else once shown.</summary>
public sealed record IssuedKey(ApiKeyRecord Record, string Key);

public sealed record IssuedAdminToken(AdminTokenRecord Record, string Token);

public enum IdentityOperationError
{
    NotFound,
    Conflict,
    Invalid,
}

/// <summary>An operation refused because of what is stored: a missing record, or a state that does not allow it.</summary>
public sealed class IdentityOperationException(IdentityOperationError error, string message, string? field = null) : Exception(message)
{
    public IdentityOperationError Error { get; } = error;

    /// <summary>For <see cref="IdentityOperationError.Invalid"/>: the request field at fault.</summary>
    public string? Field { get; } = field;

    public static IdentityOperationException NotFound(string message) => new(IdentityOperationError.NotFound, message);

    public static IdentityOperationException Conflict(string message) => new(IdentityOperationError.Conflict, message);

    public static IdentityOperationException Invalid(string field, string problem) => new(IdentityOperationError.Invalid, $"{field} {problem}", field);
}
