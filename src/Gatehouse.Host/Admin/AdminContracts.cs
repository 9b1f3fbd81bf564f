using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Host.Admin;

// The admin API's wire types, shared by the server and the CLI so the two cannot drift apart.

public sealed record CreateOrganizationRequest(string? Name);

public sealed record OrganizationView(string Id, string Name, DateTimeOffset CreatedAt)
{
    public static OrganizationView From(Organization o) => new(o.Id, o.Name, o.CreatedAt);
}

public sealed record CreateAccountRequest(string? OrganizationId, string? Name, string? Email);

public sealed record AccountView(string Id, string OrganizationId, string Name, string? Email, DateTimeOffset CreatedAt)
{
    public static AccountView From(Account a) => new(a.Id, a.OrganizationId, a.Name, a.Email, a.CreatedAt);
}

public sealed record CreateApiKeyRequest(string? AccountId, string? Name);

/// <summary>A key as listed: its id is also the visible prefix of the key; the secret is never shown again.</summary>
public sealed record ApiKeyView(string Id, string AccountId, string Name, DateTimeOffset CreatedAt)
{
    public static ApiKeyView From(ApiKeyRecord k) => new(k.Id, k.AccountId, k.Name, k.CreatedAt);
}

/// <summary>The answer to creating a key: the only time <see cref="Key"/> is shown.</summary>
public sealed record CreatedApiKey(string Id, string AccountId, string Name, DateTimeOffset CreatedAt, string Key);

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
    IReadOnlyList<TraceView> Trace)
{
    public static DecisionView From(Decision d) => new(
        d.Id, Lower(d.Effect), d.ReasonCode, d.StatusCode, Lower(d.Layer), d.Rule, d.Message, d.Time,
        d.RequestedModel, d.Model?.Id, d.Endpoint?.Id, d.Endpoint?.Region, d.Client.ToString(),
        d.Location?.Country, d.Location?.Subdivision, d.Location?.NetworkTypeName,
        d.Location is { Asn: > 0 } location ? location.Asn : null, d.Location?.NetworkName,
        [.. d.Trace.Select(t => new TraceView(Lower(t.Layer), t.Rule, t.Outcome, t.Detail))]);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
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
public sealed record ProblemView(string? Title, string? Detail, int? Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CreateOrganizationRequest))]
[JsonSerializable(typeof(OrganizationView))]
[JsonSerializable(typeof(List<OrganizationView>))]
[JsonSerializable(typeof(CreateAccountRequest))]
[JsonSerializable(typeof(AccountView))]
[JsonSerializable(typeof(List<AccountView>))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(ApiKeyView))]
[JsonSerializable(typeof(List<ApiKeyView>))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(ExplainRequest))]
[JsonSerializable(typeof(DecisionView))]
[JsonSerializable(typeof(ReadinessView))]
[JsonSerializable(typeof(IReadOnlyList<GeoLookupView>))]
[JsonSerializable(typeof(ProblemView))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
public sealed partial class AdminJsonContext : JsonSerializerContext;
