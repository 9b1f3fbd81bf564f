using System.Net;
using System.Text.RegularExpressions;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Admin;

internal static partial class AdminApi
{
    private const int MaxNameLength = 200;
    private const int MaxAuditPage = 1000;
    private static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromHours(24);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin/v1")
            .WithMetadata(new PlaneMetadata(Plane.Admin), AdminAccess.Manage)
            .AddEndpointFilter(ErrorsAsProblemsAsync);

        admin.MapGet("/organizations", (IdentityState identity) =>
            identity.Current.Data.Organizations.Select(OrganizationView.From).ToList()).WithMetadata(AdminAccess.Read);
        admin.MapGet("/organizations/{id}", (string id, IdentityState identity) =>
            identity.Current.TryGetOrganization(id, out var o) ? Results.Ok(OrganizationView.From(o)) : NotFound($"There is no organisation {id}.")).WithMetadata(AdminAccess.Read);
        admin.MapPost("/organizations", CreateOrganizationAsync).WithMetadata(AdminAccess.Manage);
        admin.MapPatch("/organizations/{id}", UpdateOrganizationAsync).WithMetadata(AdminAccess.Manage);

        admin.MapGet("/accounts", ListAccounts).WithMetadata(AdminAccess.Read);
        admin.MapGet("/accounts/{id}", (string id, IdentityState identity) =>
            identity.Current.TryGetAccount(id, out var a) ? Results.Ok(AccountView.From(a)) : NotFound($"There is no account {id}.")).WithMetadata(AdminAccess.Read);
        admin.MapPost("/accounts", CreateAccountAsync).WithMetadata(AdminAccess.Manage);
        admin.MapPatch("/accounts/{id}", UpdateAccountAsync).WithMetadata(AdminAccess.Manage);
        foreach (var (action, status, access) in new[]
        {
            ("suspend", AccountStatus.Suspended, AdminAccess.Review),
            ("reinstate", AccountStatus.Active, AdminAccess.Review),
            ("close", AccountStatus.Closed, AdminAccess.Manage),
        })
        {
            admin.MapPost($"/accounts/{{id}}/{action}", (string id, CommentRequest request, HttpContext context, IdentityAdministration administration, CancellationToken cancellationToken) =>
                ChangeStatusAsync(id, status, request, context, administration, cancellationToken)).WithMetadata(access);
        }

        admin.MapGet("/keys", (string? accountId, IdentityState identity, TimeProvider time) =>
            identity.Current.Data.ApiKeys.Where(k => accountId is null || k.AccountId == accountId).Select(k => ApiKeyView.From(k, time.GetUtcNow())).ToList()).WithMetadata(AdminAccess.Read);
        admin.MapGet("/keys/{id}", (string id, IdentityState identity, TimeProvider time) =>
            identity.Current.TryGetKey(id, out var k) ? Results.Ok(ApiKeyView.From(k, time.GetUtcNow())) : NotFound($"There is no API key {id}.")).WithMetadata(AdminAccess.Read);
        admin.MapPost("/keys", CreateApiKeyAsync).WithMetadata(AdminAccess.Manage);
        admin.MapPost("/keys/{id}/rotate", RotateApiKeyAsync).WithMetadata(AdminAccess.Manage);
        admin.MapPost("/keys/{id}/revoke", RevokeApiKeyAsync).WithMetadata(AdminAccess.Manage);

        admin.MapGet("/tokens", (IdentityState identity) => identity.Current.Data.AdminTokens.Select(AdminTokenView.From).ToList()).WithMetadata(AdminAccess.Read);
        admin.MapPost("/tokens", CreateAdminTokenAsync).WithMetadata(AdminAccess.Manage);
        admin.MapPost("/tokens/{id}/revoke", RevokeAdminTokenAsync).WithMetadata(AdminAccess.Manage);

        admin.MapGet("/flags", ListFlagsAsync).WithMetadata(AdminAccess.Read);
        admin.MapGet("/flags/{id}", async (string id, IGatehouseStore store, CancellationToken cancellationToken) =>
            await store.LoadFlagsAsync(new FlagFilter(Id: id), cancellationToken) is [var flag] ? Results.Ok(FlagView.From(flag)) : NotFound($"There is no flag {id}.")).WithMetadata(AdminAccess.Read);
        admin.MapPost("/flags/{id}/review", ReviewFlagAsync).WithMetadata(AdminAccess.Review);

        MapModels(admin);
        MapEndpoints(admin);
        MapPolicies(admin);
        MapLicenses(admin);
        MapSanctions(admin);
        MapUsage(admin);

        admin.MapGet("/audit", ListAuditAsync).WithMetadata(AdminAccess.Read);
        MapAuditLog(admin);

        // A question, not a change: every role may ask it.
        admin.MapPost("/decisions/explain", Explain).WithMetadata(AdminAccess.Read);
        return routes;
    }

    private static async Task<IResult> CreateOrganizationAsync(CreateOrganizationRequest request, HttpContext context, IdentityAdministration administration, CancellationToken cancellationToken)
    {
        var name = Required(request.Name, "name");
        var country = Country(request.RegisteredCountry, "registeredCountry");
        var organization = await administration.ApplyAsync(_ => administration.Operations.CreateOrganization(
            AdminAuthentication.ActorOf(context), name, Optional(request.LegalName, "legalName"), country, request.AcceptsSubstitutes ?? false), cancellationToken);
        return Results.Created($"/admin/v1/organizations/{organization.Id}", OrganizationView.From(organization));
    }

    private static async Task<IResult> UpdateOrganizationAsync(string id, UpdateOrganizationRequest request, HttpContext context, IdentityAdministration administration, CancellationToken cancellationToken)
    {
        var name = request.Name is null ? null : Required(request.Name, "name");
        var legalName = Optional(request.LegalName, "legalName");
        var country = Country(request.RegisteredCountry, "registeredCountry");
        var organization = await administration.ApplyAsync(snapshot => administration.Operations.UpdateOrganization(snapshot, AdminAuthentication.ActorOf(context), id, o => o with
        {
            Name = name ?? o.Name,
            LegalName = request.LegalName is null ? o.LegalName : legalName,
            RegisteredCountry = request.RegisteredCountry is null ? o.RegisteredCountry : country,
            AcceptsSubstitutes = request.AcceptsSubstitutes ?? o.AcceptsSubstitutes,
        }), cancellationToken);
        return Results.Ok(OrganizationView.From(organization));
    }

    private static IResult ListAccounts(string? organizationId, string? status, IdentityState identity)
    {
        AccountStatus? only = null;
        if (status is not null)
        {
            only = EnumNames<AccountStatus>.TryParse(status, out var parsed) ? parsed : throw Invalid("status", $"must be one of {string.Join(", ", EnumNames<AccountStatus>.All)}");
        }
        return Results.Ok(identity.Current.Data.Accounts
            .Where(a => (organizationId is null || a.OrganizationId == organizationId) && (only is null || a.Status == only))
            .Select(AccountView.From).ToList());
    }

    private static async Task<IResult> CreateAccountAsync(CreateAccountRequest request, HttpContext context, IdentityAdministration administration, IdentityState identity, CancellationToken cancellationToken)
    {
        var organizationId = Required(request.OrganizationId, "organizationId");
        var name = Required(request.Name, "name");
        var kyc = Kyc(KycProfile.None, request.LegalName, request.RegisteredCountry,
            request.BillingAddress ?? throw Invalid("billingAddress", "is required, with at least its country: {\"country\":\"US\"}"),
            request.CardCountry, request.Verification);
        var account = await administration.ApplyAsync(snapshot => administration.Operations.CreateAccount(
            snapshot, AdminAuthentication.ActorOf(context), organizationId, name, Optional(request.Email, "email"), kyc), cancellationToken);
        return Results.Created($"/admin/v1/accounts/{account.Id}", AccountView.From(Stored(identity, account)));
    }

    private static async Task<IResult> UpdateAccountAsync(string id, UpdateAccountRequest request, HttpContext context, IdentityAdministration administration, IdentityState identity, CancellationToken cancellationToken)
    {
        var name = request.Name is null ? null : Required(request.Name, "name");
        var email = Optional(request.Email, "email");
        var account = await administration.ApplyAsync(snapshot => administration.Operations.UpdateAccount(snapshot, AdminAuthentication.ActorOf(context), id, a => a with
        {
            Name = name ?? a.Name,
            Email = request.Email is null ? a.Email : email,
            Kyc = Kyc(a.Kyc, request.LegalName, request.RegisteredCountry, request.BillingAddress, request.CardCountry, request.Verification),
        }), cancellationToken);
        return Results.Ok(AccountView.From(Stored(identity, account)));
    }

    /// <summary>The account as stored, which sanctions screening may have flagged in the same change.</summary>
    private static Account Stored(IdentityState identity, Account account) => identity.Current.TryGetAccount(account.Id, out var stored) ? stored : account;

    private static async Task<IResult> ChangeStatusAsync(string id, AccountStatus status, CommentRequest request, HttpContext context, IdentityAdministration administration, CancellationToken cancellationToken)
    {
        var comment = Required(request.Comment, "comment");
        var account = await administration.ApplyAsync(snapshot => administration.Operations.ChangeAccountStatus(
            snapshot, AdminAuthentication.ActorOf(context), id, status, comment), cancellationToken);
        return Results.Ok(AccountView.From(account));
    }

    private static async Task<IResult> CreateApiKeyAsync(CreateApiKeyRequest request, HttpContext context, IdentityAdministration administration, CancellationToken cancellationToken)
    {
        var accountId = Required(request.AccountId, "accountId");
        var name = Required(request.Name, "name");
        var networks = new List<IPNetwork>();
        foreach (var (text, i) in (request.AllowedNetworks ?? []).Select((n, i) => (n, i)))
        {
            networks.Add(NetworkSet.TryParseNetwork(text ?? "", out var network)
                ? network.Value
                : throw Invalid($"allowedNetworks[{i}]", $"'{text}' is not an address or CIDR range (e.g. 203.0.113.0/24, 2001:db8::/32)"));
        }
        RateLimit? rateLimit = null;
        if (request.RateLimit is { } limit)
        {
            if (limit.Requests <= 0)
            {
                throw Invalid("rateLimit.requests", "must be a positive number of requests");
            }
            if (!Duration.TryParse(limit.Window ?? "", out var window) || window <= TimeSpan.Zero)
            {
                throw Invalid("rateLimit.window", $"'{limit.Window}' is not a duration; write a number with s, m, h or d, e.g. 1m");
            }
            rateLimit = new RateLimit(limit.Requests, window);
        }
        var issued = await administration.ApplyAsync(snapshot => administration.Operations.CreateKey(
            snapshot, AdminAuthentication.ActorOf(context), accountId, name, request.ExpiresAt, new NetworkSet(networks), rateLimit), cancellationToken);
        return Results.Created($"/admin/v1/keys/{issued.Record.Id}", Created(issued));
    }

    private static async Task<IResult> RotateApiKeyAsync(string id, RotateKeyRequest request, HttpContext context, IdentityAdministration administration, CancellationToken cancellationToken)
    {
        var grace = DefaultGracePeriod;
        if (request.GracePeriod is { } text && (!Duration.TryParse(text, out grace) || grace < TimeSpan.Zero))
        {
            throw Invalid("gracePeriod", $"'{text}' is not a duration; write a number with s, m, h or d, e.g. 24h, or 0s to retire the old key at once");
        }
        var issued = await administration.ApplyAsync(snapshot => administration.Operations.RotateKey(snapshot, AdminAuthentication.ActorOf(context), id, grace), cancellationToken);
        return Results.Created($"/admin/v1/keys/{issued.Record.Id}", Created(issued));
    }

    private static async Task<IResult> RevokeApiKeyAsync(string id, CommentRequest request, HttpContext context, IdentityAdministration administration, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await administration.ApplyAsync(snapshot => administration.Operations.RevokeKey(
            snapshot, AdminAuthentication.ActorOf(context), id, Optional(request.Comment, "comment")), cancellationToken);
        return Results.Ok(ApiKeyView.From(key, time.GetUtcNow()));
    }

    private static async Task<IResult> CreateAdminTokenAsync(CreateAdminTokenRequest request, HttpContext context, IdentityAdministration administration, CancellationToken cancellationToken)
    {
        var name = Required(request.Name, "name");
        var role = Required(request.Role, "role");
        var issued = await administration.ApplyAsync(_ => administration.Operations.CreateAdminToken(AdminAuthentication.ActorOf(context), role, name), cancellationToken);
        var token = issued.Record;
        return Results.Created($"/admin/v1/tokens/{token.Id}", new CreatedAdminToken(token.Id, token.Role, token.Name, token.CreatedAt, issued.Token));
    }

    private static async Task<IResult> RevokeAdminTokenAsync(string id, HttpContext context, IdentityAdministration administration, CancellationToken cancellationToken)
    {
        var token = await administration.ApplyAsync(snapshot => administration.Operations.RevokeAdminToken(snapshot, AdminAuthentication.ActorOf(context), id), cancellationToken);
        return Results.Ok(AdminTokenView.From(token));
    }

    private static async Task<IResult> ListFlagsAsync(string? status, string? accountId, IGatehouseStore store, CancellationToken cancellationToken)
    {
        bool? open = status switch
        {
            null or "open" => true,
            "reviewed" => false,
            "all" => null,
            _ => throw Invalid("status", "must be open, reviewed or all"),
        };
        var flags = await store.LoadFlagsAsync(new FlagFilter(AccountId: accountId, Open: open), cancellationToken);
        return Results.Ok(flags.Select(FlagView.From).ToList());
    }

    private static async Task<IResult> ReviewFlagAsync(string id, ReviewFlagRequest request, HttpContext context, IdentityAdministration administration, IGatehouseStore store, CancellationToken cancellationToken)
    {
        var action = EnumNames<ReviewAction>.TryParse(request.Action, out var parsed)
            ? parsed
            : throw Invalid("action", "must be clear, suspend or reinstate");
        var comment = Required(request.Comment, "comment");
        var flag = await administration.ApplyAsync(async snapshot =>
        {
            var flag = await store.LoadFlagsAsync(new FlagFilter(Id: id), cancellationToken) is [var found]
                ? found
                : throw IdentityOperationException.NotFound($"There is no flag {id}.");
            var openFlags = await store.LoadFlagsAsync(new FlagFilter(AccountId: flag.AccountId, Open: true), cancellationToken);
            return administration.Operations.ReviewFlag(snapshot, AdminAuthentication.ActorOf(context), flag, openFlags.Count(f => f.Id != id), action, comment);
        }, cancellationToken);
        return Results.Ok(FlagView.From(flag));
    }

    private static async Task<IResult> ListAuditAsync(string? targetId, int? limit, IGatehouseStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxAuditPage)
        {
            throw Invalid("limit", $"must be between 1 and {MaxAuditPage}");
        }
        return Results.Ok(await store.LoadAuditAsync(new AuditFilter(targetId, limit ?? 100), cancellationToken));
    }

    /// <summary>The decision live traffic would get, with its trace: the same pipeline, asked a hypothetical question.</summary>
    private static IResult Explain(ExplainRequest request, DecisionPipeline pipeline, ConfigurationState configuration, IdentityState identity)
    {
        var model = Required(request.Model, "model");
        ClientAddress client;
        if (request.Ip is null)
        {
            client = ClientAddress.Unknown("no address was given");
        }
        else if (IPAddress.TryParse(request.Ip, out var address))
        {
            client = ClientAddress.Known(ClientAddressResolver.Normalize(address));
        }
        else
        {
            throw Invalid("ip", $"'{request.Ip}' is not an IP address");
        }
        ApiDialect? api = null;
        if (request.Api is not null)
        {
            api = ApiDialects.TryParse(request.Api, out var parsed) ? parsed : throw Invalid("api", "must be anthropic or openai");
        }
        var snapshot = identity.Current;
        Principal? principal = null;
        if (request.KeyId is not null && !snapshot.TryGetPrincipalByKeyId(request.KeyId, out principal))
        {
            return NotFound($"There is no API key {request.KeyId}.");
        }
        if (request.KeyId is null && request.AccountId is not null && !snapshot.TryGetPrincipalByAccountId(request.AccountId, out principal))
        {
            return NotFound($"There is no account {request.AccountId}.");
        }
        var decision = pipeline.Decide(new DecisionRequest(client, principal, model, api) { Explains = true }, configuration.Current);
        return Results.Ok(DecisionView.From(decision));
    }

    /// <summary>A KYC profile with the request's fields applied: null leaves a field, an empty string clears it.</summary>
    private static KycProfile Kyc(KycProfile current, string? legalName, string? registeredCountry, BillingAddressView? billing, string? cardCountry, VerificationRequest? verification)
    {
        var kyc = current with
        {
            LegalName = legalName is null ? current.LegalName : Optional(legalName, "legalName"),
            RegisteredCountry = registeredCountry is null ? current.RegisteredCountry : Country(registeredCountry, "registeredCountry"),
            CardCountry = cardCountry is null ? current.CardCountry : Country(cardCountry, "cardCountry"),
            Billing = billing is null
                ? current.Billing
                : new BillingAddress(Optional(billing.Line1, "billingAddress.line1"), Optional(billing.Line2, "billingAddress.line2"),
                    Optional(billing.City, "billingAddress.city"), Optional(billing.PostalCode, "billingAddress.postalCode"),
                    Country(billing.Country, "billingAddress.country") ?? throw Invalid("billingAddress.country", "is required: the country the account is billed in, e.g. US")),
        };
        if (verification is not null)
        {
            kyc = kyc with
            {
                Verification = EnumNames<VerificationStatus>.TryParse(verification.Status, out var status)
                    ? status
                    : throw Invalid("verification.status", "must be unverified, verified or rejected"),
                VerificationMethod = Optional(verification.Method, "verification.method"),
            };
        }
        return kyc;
    }

    private static CreatedApiKey Created(IssuedKey issued) =>
        new(issued.Record.Id, issued.Record.AccountId, issued.Record.Name, issued.Record.CreatedAt, issued.Record.ExpiresAt, issued.Key);

    private static string Required(string? value, string field) => value switch
    {
        null => throw Invalid(field, "is required"),
        _ when string.IsNullOrWhiteSpace(value) => throw Invalid(field, "must not be blank"),
        _ => Optional(value, field)!,
    };

    /// <summary>Trimmed text, or null for an empty one (which is how a partial update clears a field).</summary>
    private static string? Optional(string? value, string field) => value?.Trim() switch
    {
        null or "" => null,
        { Length: > MaxNameLength } => throw Invalid(field, $"must be at most {MaxNameLength} characters"),
        var trimmed => trimmed,
    };

    private static string? Country(string? value, string field) => Optional(value, field) switch
    {
        null => null,
        var code when Countries.IsKnown(code) => code,
        var code => throw Invalid(field, $"'{code}' is not an ISO 3166-1 alpha-2 country code (upper case, e.g. US, DE)"),
    };

    /// <summary>The form of the ids operators choose themselves (endpoints, stored policies).</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex OperatorChosenId();

    private static IdentityOperationException Invalid(string field, string problem) => IdentityOperationException.Invalid(field, problem);

    private static IResult NotFound(string detail) => Results.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// Refusals from validation and from the operations become problem details, whichever
    /// resource they concern: 400 naming the field, 404, 409 for a state that does not allow
    /// the change (a closed account, a key already revoked, a write the store refused), or 503
    /// for a change made but not recorded in the audit log.
    /// </summary>
    private static async ValueTask<object?> ErrorsAsProblemsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (IdentityOperationException e) when (e.Error == IdentityOperationError.Invalid)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Field!] = [e.Message] }, title: "The request is invalid", detail: e.Message);
        }
        catch (Engine.Policy.PolicyException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["document"] = [.. e.Errors.Select(error => error.ToString())] },
                title: "The policy document is invalid", detail: $"The document has {e.Errors.Count} mistake(s); nothing was stored.");
        }
        catch (IdentityOperationException e) when (e.Error == IdentityOperationError.NotFound)
        {
            return NotFound(e.Message);
        }
        catch (Exception e) when (e is IdentityOperationException or StoreConflictException)
        {
            return Results.Problem(title: "Conflict", detail: e.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (Audit.AuditUnavailableException e)
        {
            return Results.Problem(title: "Not recorded", statusCode: StatusCodes.Status503ServiceUnavailable,
                detail: $"The change was made, but the audit log could not record it: {e.Message}. Check /readyz; the identity audit (GET /admin/v1/audit) has it.");
        }
    }
}
