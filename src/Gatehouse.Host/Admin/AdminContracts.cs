using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Host.Admin;

// The admin API's wire types, shared by the server and the CLI so the two cannot drift apart.

/// <param name="AcceptsSubstitutes">Whether a model refused for jurisdiction reasons may be served by its configured substitute (default false).</param>
public sealed record CreateOrganizationRequest(string? Name, string? LegalName = null, string? RegisteredCountry = null, bool? AcceptsSubstitutes = null);

/// <summary>A partial update: null leaves a field as it is; an empty string clears an optional one.</summary>
public sealed record UpdateOrganizationRequest(string? Name = null, string? LegalName = null, string? RegisteredCountry = null, bool? AcceptsSubstitutes = null);

public sealed record OrganizationView(string Id, string Name, string? LegalName, string? RegisteredCountry, bool AcceptsSubstitutes, DateTimeOffset CreatedAt)
{
    public static OrganizationView From(Organization o) => new(o.Id, o.Name, o.LegalName, o.RegisteredCountry, o.AcceptsSubstitutes, o.CreatedAt);
}

public sealed record BillingAddressView(string? Line1, string? Line2, string? City, string? PostalCode, string? Country)
{
    public static BillingAddressView? From(BillingAddress? b) => b is null ? null : new(b.Line1, b.Line2, b.City, b.PostalCode, b.Country);
}

/// <param name="Status">unverified, verified or rejected.</param>
/// <param name="Method">How it was done, e.g. document or video call.</param>
public sealed record VerificationRequest(string? Status, string? Method = null);

/// <summary>A new account. <see cref="BillingAddress"/> with its country is required: it is what the identity rules read first.</summary>
public sealed record CreateAccountRequest(
    string? OrganizationId,
    string? Name,
    string? Email,
    BillingAddressView? BillingAddress,
    string? LegalName = null,
    string? RegisteredCountry = null,
    string? CardCountry = null,
    VerificationRequest? Verification = null);

/// <summary>A partial update: null leaves a field as it is; an empty string clears an optional one. A billing address replaces the old one whole.</summary>
public sealed record UpdateAccountRequest(
    string? Name = null,
    string? Email = null,
    BillingAddressView? BillingAddress = null,
    string? LegalName = null,
    string? RegisteredCountry = null,
    string? CardCountry = null,
    VerificationRequest? Verification = null);

public sealed record KycView(
    string? LegalName,
    string? RegisteredCountry,
    BillingAddressView? BillingAddress,
    string? CardCountry,
    string Verification,
    DateTimeOffset? VerifiedAt,
    string? VerificationMethod);

public sealed record AccountView(
    string Id,
    string OrganizationId,
    string Name,
    string? Email,
    string Status,
    string? StatusReason,
    DateTimeOffset? StatusChangedAt,
    KycView Kyc,
    DateTimeOffset CreatedAt)
{
    public static AccountView From(Account a) => new(
        a.Id, a.OrganizationId, a.Name, a.Email, EnumNames<AccountStatus>.Of(a.Status), a.StatusReason, a.StatusChangedAt,
        new KycView(a.Kyc.LegalName, a.Kyc.RegisteredCountry, BillingAddressView.From(a.Kyc.Billing), a.Kyc.CardCountry,
            EnumNames<VerificationStatus>.Of(a.Kyc.Verification), a.Kyc.VerifiedAt, a.Kyc.VerificationMethod),
        a.CreatedAt);
}

/// <summary>For suspending, reinstating or closing an account, revoking a key: why, in a person's words.</summary>
public sealed record CommentRequest(string? Comment);

/// <param name="Window">A duration such as 1m or 1h.</param>
public sealed record RateLimitView(int Requests, string Window)
{
    public static RateLimitView? From(RateLimit? limit) => limit is null ? null : new(limit.Requests, Duration.Format(limit.Window));
}

/// <param name="AllowedNetworks">CIDRs or addresses the key may be used from; omitted or empty means anywhere.</param>
public sealed record CreateApiKeyRequest(
    string? AccountId,
    string? Name,
    DateTimeOffset? ExpiresAt = null,
    IReadOnlyList<string>? AllowedNetworks = null,
    RateLimitView? RateLimit = null);

/// <param name="GracePeriod">How long the old key keeps working, e.g. 24h (the default) or 0s.</param>
public sealed record RotateKeyRequest(string? GracePeriod = null);

/// <summary>A key as listed: its id is also the visible prefix of the key; the secret is never shown again.</summary>
/// <param name="Status">active, rotating (replaced, in its grace period), expired or revoked.</param>
public sealed record ApiKeyView(
    string Id,
    string AccountId,
    string Name,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? ReplacedBy,
    IReadOnlyList<string> AllowedNetworks,
    RateLimitView? RateLimit)
{
    public static ApiKeyView From(ApiKeyRecord k, DateTimeOffset now) => new(
        k.Id, k.AccountId, k.Name,
        k.RevokedAt is not null ? "revoked" : k.IsExpiredAt(now) ? "expired" : k.ReplacedBy is not null ? "rotating" : "active",
        k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.ReplacedBy, [.. k.AllowedNetworks.Networks.Select(n => n.ToString())], RateLimitView.From(k.RateLimit));
}

/// <summary>The answer to creating or rotating a key: the only time <see cref="Key"/> is shown.</summary>
public sealed record CreatedApiKey(string Id, string AccountId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);

public sealed record CreateAdminTokenRequest(string? Name, string? Role);

public sealed record AdminTokenView(string Id, string Role, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static AdminTokenView From(AdminTokenRecord t) => new(t.Id, t.Role, t.Name, t.CreatedAt, t.RevokedAt);
}

/// <summary>The answer to creating an admin token: the only time <see cref="Token"/> is shown.</summary>
public sealed record CreatedAdminToken(string Id, string Role, string Name, DateTimeOffset CreatedAt, string Token);

/// <param name="Action">clear, suspend or reinstate.</param>
/// <param name="Comment">Required: why.</param>
public sealed record ReviewFlagRequest(string? Action, string? Comment);

public sealed record FlagReviewView(string Action, string Comment, string Reviewer, DateTimeOffset At);

/// <param name="Status">open, or reviewed.</param>
public sealed record FlagView(
    string Id,
    string AccountId,
    string Reason,
    string Summary,
    string Status,
    DateTimeOffset RaisedAt,
    int Occurrences,
    IReadOnlyList<FlagEvidence> Evidence,
    FlagReviewView? Review,
    SanctionsMatchEvidence? Match)
{
    public static FlagView From(Flag f) => new(
        f.Id, f.AccountId, f.Reason, f.Summary, f.IsOpen ? "open" : "reviewed", f.RaisedAt, f.Occurrences, f.Evidence,
        f.Review is { } r ? new FlagReviewView(EnumNames<ReviewAction>.Of(r.Action), r.Comment, r.Reviewer, r.At) : null, f.Match);
}

/// <summary>An endpoint to create: model × region × upstream.</summary>
/// <param name="Provider">anthropic, or openai for any OpenAI-compatible server.</param>
/// <param name="ApiKeyEnv">The environment variable of the gateway process that holds the upstream key; omit for keyless servers.</param>
/// <param name="OrganizationId">The organisation the endpoint is for: its policies judge the creation too.</param>
public sealed record CreateEndpointRequest(
    string? Id,
    string? Model,
    string? Region,
    string? Provider,
    string? BaseUrl,
    string? UpstreamModel = null,
    string? ApiKeyEnv = null,
    string? OrganizationId = null);

/// <param name="Source">configuration, or admin for one created through the admin API.</param>
/// <param name="Usable">False when its upstream key variable is not set.</param>
public sealed record EndpointView(
    string Id,
    string Model,
    string Provider,
    string BaseUrl,
    string Region,
    string UpstreamModel,
    string? ApiKeyEnv,
    bool Usable,
    string Source,
    string? OrganizationId,
    DateTimeOffset? CreatedAt,
    string? CreatedBy)
{
    /// <param name="stored">The record, for an endpoint created through the admin API; null for a configured one.</param>
    public static EndpointView From(Engine.Models.EndpointDefinition e, Engine.Models.StoredEndpoint? stored = null) => new(
        e.Id, e.ModelId, Engine.Models.ApiDialects.NameOf(e.Provider), e.BaseUrl.ToString(), e.Region, e.UpstreamModel, e.ApiKeyVariable, !e.IsMissingApiKey,
        stored is null ? "configuration" : "admin", stored?.OrganizationId, stored?.CreatedAt, stored?.CreatedBy);
}

/// <summary>A policy document to store and where to attach it (at least one place).</summary>
/// <param name="Document">The document's JSON text, as a string (as IAM takes it), so that the lines errors name are its own.</param>
/// <param name="Gateway">Whether it applies to every request.</param>
/// <param name="Organizations">The organisations whose requests it applies to.</param>
/// <param name="Comment">Why, for the audit log.</param>
public sealed record PutPolicyRequest(string? Document, bool Gateway = false, IReadOnlyList<string?>? Organizations = null, string? Comment = null);

/// <summary>A version of a stored policy: its document and where it is attached.</summary>
/// <param name="DocumentSha256">As the audit entry of the change records it.</param>
/// <param name="Deleted">Whether this version is the policy's deletion.</param>
public sealed record PolicyView(
    string Id,
    int Version,
    bool Gateway,
    IReadOnlyList<string> Organizations,
    string Document,
    string DocumentSha256,
    DateTimeOffset CreatedAt,
    DateTimeOffset ChangedAt,
    string ChangedBy,
    bool Deleted)
{
    public static PolicyView From(Engine.Policy.StoredPolicy p) =>
        new(p.Id, p.Version, p.Gateway, p.Organizations, p.Document, p.DocumentSha256, p.CreatedAt, p.ChangedAt, p.ChangedBy, p.IsDeleted);
}

/// <param name="Reason">Required: why, in the operator's words; callers are shown it while the model is off.</param>
public sealed record DisableModelRequest(string? Reason);

/// <summary>A configured model and whether an operator has switched it off.</summary>
public sealed record ModelView(
    string Id,
    string DisplayName,
    IReadOnlyList<string> Aliases,
    string Classification,
    IReadOnlyList<string> AllowedJurisdictions,
    IReadOnlyList<string> DeniedJurisdictions,
    IReadOnlyList<string> Endpoints,
    bool Disabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    string? DisabledBy)
{
    public static ModelView From(Engine.Models.ModelDefinition m, Engine.Models.ModelSwitch? off) => new(
        m.Id, m.DisplayName, m.Aliases, m.Classification, [.. m.AllowedJurisdictions.Select(j => j.Key)], [.. m.DeniedJurisdictions.Select(j => j.Key)],
        [.. m.Endpoints.Select(e => e.Id)], off is not null, off?.Reason, off?.ChangedAt, off?.ChangedBy);
}

/// <summary>A licence to grant.</summary>
/// <param name="Number">The issuing authority's reference.</param>
/// <param name="Models">Model ids, or patterns with <c>*</c>.</param>
/// <param name="Countries">ISO 3166-1 alpha-2 codes of the countries callers may be in.</param>
/// <param name="ValidFrom">Omitted means now.</param>
/// <param name="ValidTo">Required: the instant the licence ends (it no longer works from that instant).</param>
public sealed record GrantLicenseRequest(
    string? Number,
    string? OrganizationId,
    IReadOnlyList<string?>? Models,
    IReadOnlyList<string?>? Countries,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidTo = null,
    string? Note = null);

/// <param name="Status">active, revoked or expired.</param>
/// <param name="InForce">Whether it covers requests right now (active and its term has begun).</param>
public sealed record LicenseView(
    string Id,
    string Number,
    string OrganizationId,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> Countries,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo,
    string Status,
    bool InForce,
    string? Note,
    DateTimeOffset? RevokedAt,
    string? RevocationReason,
    DateTimeOffset CreatedAt)
{
    public static LicenseView From(Engine.Licensing.ExportLicense l, DateTimeOffset now) => new(
        l.Id, l.Number, l.OrganizationId, l.Models, l.Countries, l.ValidFrom, l.ValidTo, EnumNames<Engine.Licensing.LicenseStatus>.Of(l.StatusAt(now)),
        l.IsInForceAt(now), l.Note, l.RevokedAt, l.RevocationReason, l.CreatedAt);
}

/// <summary>One entry of a list upload, as <c>gatehouse sanctions import</c> reads it from the published files.</summary>
/// <param name="Type">entity, individual, vessel or aircraft.</param>
/// <param name="Countries">ISO 3166-1 alpha-2 codes.</param>
public sealed record SanctionsEntryUpload(
    string? EntryId,
    string? Type,
    string? Name,
    IReadOnlyList<string?>? Aliases = null,
    IReadOnlyList<string?>? Countries = null,
    IReadOnlyList<string?>? Addresses = null,
    string? Programs = null,
    string? Remarks = null)
{
    public static SanctionsEntryUpload From(Engine.Sanctions.SanctionsEntry e) => new(
        e.EntryId, EnumNames<Engine.Sanctions.SanctionsEntryType>.Of(e.Type), e.Name, e.Aliases, e.Countries, e.Addresses, e.Programs, e.Remarks);
}

/// <summary>A new version of one list: it replaces the version in force whole; entries it no longer has are delisted.</summary>
/// <param name="Source">ofac-sdn, ofac-cons, csl, un or bis-dpl.</param>
/// <param name="Files">The files it was read from, kept with the version.</param>
public sealed record SanctionsListUpload(string? Source, DateTimeOffset? Published, IReadOnlyList<string?>? Files, IReadOnlyList<SanctionsEntryUpload>? Entries);

/// <param name="Current">Whether this is the version in force for its source.</param>
public sealed record SanctionsVersionView(
    string Id,
    string Source,
    bool Current,
    DateTimeOffset ImportedAt,
    string ImportedBy,
    DateTimeOffset? Published,
    IReadOnlyList<string> Files,
    int Entries,
    int Added,
    int Changed,
    int Delisted)
{
    public static SanctionsVersionView From(Engine.Sanctions.SanctionsListVersion v, bool current) =>
        new(v.Id, v.Source, current, v.ImportedAt, v.ImportedBy, v.Published, v.Files, v.EntryCount, v.Added, v.Changed, v.Delisted);
}

/// <param name="AccountsScreened">Every account that is not closed was screened against the lists in force.</param>
/// <param name="Flags">The flags the re-screening raised.</param>
public sealed record SanctionsImportView(SanctionsVersionView Version, int AccountsScreened, IReadOnlyList<FlagView> Flags);

/// <param name="Country">ISO 3166-1 alpha-2 code of the country the name belongs to, as supporting evidence.</param>
/// <param name="City">Where the name is based, as supporting evidence: matches whose list addresses name it are marked.</param>
/// <param name="Threshold">The lowest score reported; omitted means the configured one.</param>
public sealed record ScreenRequest(string? Name, string? Country = null, double? Threshold = null, int? Limit = null, string? City = null);

public sealed record ScreeningMatchView(
    double Score,
    string MatchedName,
    string Entry,
    string Source,
    string EntryId,
    string Name,
    string Type,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Countries,
    bool CountryMatched,
    IReadOnlyList<string> Addresses,
    bool AddressMatched,
    string? Programs)
{
    public static ScreeningMatchView From(Engine.Sanctions.SanctionsMatch m, string? city) => new(
        Math.Round(m.Score, 4), m.MatchedName, m.Entry.Key, m.Entry.Source, m.Entry.EntryId, m.Entry.Name, EnumNames<Engine.Sanctions.SanctionsEntryType>.Of(m.Entry.Type),
        m.Entry.Aliases, m.Entry.Countries, m.CountryMatched, m.Entry.Addresses, m.Entry.MentionsPlace(city), m.Entry.Programs);
}

/// <param name="ListedEntries">How many entries the name was screened against.</param>
public sealed record ScreenResultView(string Name, string? Country, double Threshold, int ListedEntries, IReadOnlyList<ScreeningMatchView> Matches);

/// <summary>A hypothetical request for the explain API.</summary>
/// <param name="Ip">The caller's address; omitted means unknown.</param>
/// <param name="KeyId">Ask as this key (its account and organisation follow).</param>
/// <param name="AccountId">Or ask as this account.</param>
/// <param name="Model">The model name as a request would send it.</param>
/// <param name="Api">anthropic or openai: the route the request would use; omitted means either.</param>
public sealed record ExplainRequest(string? Ip, string? KeyId, string? AccountId, string? Model, string? Api);

public sealed record DecisionView(
    string Id,
    string Effect,
    string ReasonCode,
    int Status,
    string Layer,
    string Rule,
    string Message,
    DateTimeOffset Time,
    string RequestedModel,
    string? Model,
    string? Endpoint,
    string? Region,
    string Client,
    string? Country,
    string? Subdivision,
    string? NetworkType,
    uint? Asn,
    string? NetworkName,
    string? LicenseId,
    string? LicenseNumber,
    IReadOnlyList<TraceView> Trace)
{
    public static DecisionView From(Decision d) => new(
        d.Id, EnumNames<DecisionEffect>.Of(d.Effect), d.ReasonCode, d.StatusCode, EnumNames<DecisionLayer>.Of(d.Layer), d.Rule, d.Message, d.Time,
        d.RequestedModel, d.Model?.Id, d.Endpoint?.Id, d.Endpoint?.Region, d.Client.ToString(),
        d.Location?.Country, d.Location?.Subdivision, d.Location?.NetworkTypeName,
        d.Location is { Asn: > 0 } location ? location.Asn : null, d.Location?.NetworkName, d.License?.Id, d.License?.Number,
        [.. d.Trace.Select(t => new TraceView(EnumNames<DecisionLayer>.Of(t.Layer), t.Rule, t.Outcome, t.Detail))]);
}

public sealed record TraceView(string Layer, string Rule, string Outcome, string Detail);

/// <summary>One address as <c>gatehouse geo lookup --json</c> prints it.</summary>
public sealed record GeoLookupView(
    string Address,
    string? Country,
    string? Subdivision,
    uint? Asn,
    string? NetworkName,
    string NetworkType,
    IReadOnlyList<string> Jurisdictions,
    string? Note);

public sealed record ReadinessView(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>RFC 9457 problem details as the CLI reads them.</summary>
/// <param name="Errors">For a request refused as invalid: the mistakes, by field.</param>
public sealed record ProblemView(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors = null);

/// <param name="Next">The <c>after</c> value for the next page; null on the last one.</param>
public sealed record AuditRecordPage(IReadOnlyList<AuditRecord> Records, long? Next);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CreateOrganizationRequest))]
[JsonSerializable(typeof(UpdateOrganizationRequest))]
[JsonSerializable(typeof(OrganizationView))]
[JsonSerializable(typeof(List<OrganizationView>))]
[JsonSerializable(typeof(CreateAccountRequest))]
[JsonSerializable(typeof(UpdateAccountRequest))]
[JsonSerializable(typeof(AccountView))]
[JsonSerializable(typeof(List<AccountView>))]
[JsonSerializable(typeof(CommentRequest))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(RotateKeyRequest))]
[JsonSerializable(typeof(ApiKeyView))]
[JsonSerializable(typeof(List<ApiKeyView>))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(CreateAdminTokenRequest))]
[JsonSerializable(typeof(AdminTokenView))]
[JsonSerializable(typeof(List<AdminTokenView>))]
[JsonSerializable(typeof(CreatedAdminToken))]
[JsonSerializable(typeof(ReviewFlagRequest))]
[JsonSerializable(typeof(FlagView))]
[JsonSerializable(typeof(List<FlagView>))]
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(List<AuditEntry>))]
[JsonSerializable(typeof(AuditRecordPage))]
[JsonSerializable(typeof(SetBudgetRequest))]
[JsonSerializable(typeof(BudgetView))]
[JsonSerializable(typeof(List<BudgetView>))]
[JsonSerializable(typeof(UsageReportView))]
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(AuditVerification))]
[JsonSerializable(typeof(CreateEndpointRequest))]
[JsonSerializable(typeof(EndpointView))]
[JsonSerializable(typeof(List<EndpointView>))]
[JsonSerializable(typeof(PutPolicyRequest))]
[JsonSerializable(typeof(PolicyView))]
[JsonSerializable(typeof(List<PolicyView>))]
[JsonSerializable(typeof(DisableModelRequest))]
[JsonSerializable(typeof(ModelView))]
[JsonSerializable(typeof(List<ModelView>))]
[JsonSerializable(typeof(GrantLicenseRequest))]
[JsonSerializable(typeof(LicenseView))]
[JsonSerializable(typeof(List<LicenseView>))]
[JsonSerializable(typeof(SanctionsListUpload))]
[JsonSerializable(typeof(SanctionsVersionView))]
[JsonSerializable(typeof(List<SanctionsVersionView>))]
[JsonSerializable(typeof(SanctionsImportView))]
[JsonSerializable(typeof(List<SanctionsImportView>))]
[JsonSerializable(typeof(ScreenRequest))]
[JsonSerializable(typeof(ScreenResultView))]
[JsonSerializable(typeof(ExplainRequest))]
[JsonSerializable(typeof(DecisionView))]
[JsonSerializable(typeof(ReadinessView))]
[JsonSerializable(typeof(IReadOnlyList<GeoLookupView>))]
[JsonSerializable(typeof(ProblemView))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
public sealed partial class AdminJsonContext : JsonSerializerContext;
