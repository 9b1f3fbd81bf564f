using System.Net;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Admin;

internal static class AdminApi
{
    private const int MaxNameLength = 200;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin/v1")
            .WithMetadata(new PlaneMetadata(Plane.Admin))
            .AddEndpointFilter<AdminAuthentication>()
            .AddEndpointFilter(ConflictsAs409Async);

        admin.MapGet("/organizations", (IdentityState identity) =>
            identity.Current.Data.Organizations.Select(OrganizationView.From).ToList());
        admin.MapPost("/organizations", CreateOrganizationAsync);

        admin.MapGet("/accounts", (IdentityState identity, string? organizationId) =>
            identity.Current.Data.Accounts.Where(a => organizationId is null || a.OrganizationId == organizationId).Select(AccountView.From).ToList());
        admin.MapPost("/accounts", CreateAccountAsync);

        admin.MapGet("/keys", (IdentityState identity, string? accountId) =>
            identity.Current.Data.ApiKeys.Where(k => accountId is null || k.AccountId == accountId).Select(ApiKeyView.From).ToList());
        admin.MapPost("/keys", CreateApiKeyAsync);

        admin.MapPost("/decisions/explain", Explain);
        return routes;
    }

    private static async Task<IResult> CreateOrganizationAsync(CreateOrganizationRequest request, IdentityAdministration administration, CancellationToken cancellationToken)
    {
        if (NameProblem(request.Name) is { } problem)
        {
            return Invalid("name", problem);
        }
        var organization = await administration.CreateOrganizationAsync(request.Name!.Trim(), cancellationToken);
        return Results.Created($"/admin/v1/organizations/{organization.Id}", OrganizationView.From(organization));
    }

    private static async Task<IResult> CreateAccountAsync(CreateAccountRequest request, IdentityAdministration administration, IdentityState identity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.OrganizationId))
        {
            return Invalid("organizationId", "is required");
        }
        if (NameProblem(request.Name) is { } problem)
        {
            return Invalid("name", problem);
        }
        if (!identity.Current.OrganizationExists(request.OrganizationId))
        {
            return NotFound($"There is no organisation {request.OrganizationId}.");
        }
        var account = await administration.CreateAccountAsync(request.OrganizationId, request.Name!.Trim(), request.Email?.Trim(), cancellationToken);
        return Results.Created($"/admin/v1/accounts/{account.Id}", AccountView.From(account));
    }

    private static async Task<IResult> CreateApiKeyAsync(CreateApiKeyRequest request, IdentityAdministration administration, IdentityState identity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.AccountId))
        {
            return Invalid("accountId", "is required");
        }
        if (NameProblem(request.Name) is { } problem)
        {
            return Invalid("name", problem);
        }
        if (!identity.Current.AccountExists(request.AccountId))
        {
            return NotFound($"There is no account {request.AccountId}.");
        }
        var (record, key) = await administration.CreateApiKeyAsync(request.AccountId, request.Name!.Trim(), cancellationToken);
        return Results.Created($"/admin/v1/keys/{record.Id}", new CreatedApiKey(record.Id, record.AccountId, record.Name, record.CreatedAt, key));
    }

    /// <summary>The decision live traffic would get, with its trace: the same pipeline, asked a hypothetical question.</summary>
    private static IResult Explain(ExplainRequest request, DecisionPipeline pipeline, ConfigurationState configuration, IdentityState identity)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return Invalid("model", "is required");
        }
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
            return Invalid("ip", $"'{request.Ip}' is not an IP address");
        }
        ApiDialect? api = null;
        if (request.Api is not null)
        {
            if (!ApiDialects.TryParse(request.Api, out var parsed))
            {
                return Invalid("api", "must be anthropic or openai");
            }
            api = parsed;
        }
        var snapshot = identity.Current;
        Engine.Identity.Principal? principal = null;
        if (request.KeyId is not null && !snapshot.TryGetPrincipalByKeyId(request.KeyId, out principal))
        {
            return NotFound($"There is no API key {request.KeyId}.");
        }
        if (request.KeyId is null && request.AccountId is not null && !snapshot.TryGetPrincipalByAccountId(request.AccountId, out principal))
        {
            return NotFound($"There is no account {request.AccountId}.");
        }
        var decision = pipeline.Decide(new DecisionRequest(client, principal, request.Model, api), configuration.Current);
        return Results.Ok(DecisionView.From(decision));
    }

    private static string? NameProblem(string? name) => name switch
    {
        null => "is required",
        _ when string.IsNullOrWhiteSpace(name) => "must not be blank",
        { Length: > MaxNameLength } => $"must be at most {MaxNameLength} characters",
        _ => null,
    };

    private static IResult Invalid(string field, string problem) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"{field} {problem}"] },
            title: "The request is invalid", detail: $"{field} {problem}");

    private static IResult NotFound(string detail) => Results.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// A write the store refuses (a parent deleted meanwhile, a duplicate id) is the caller's
    /// conflict, not a server error, whichever resource it concerns.
    /// </summary>
    private static async ValueTask<object?> ConflictsAs409Async(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (StoreConflictException e)
        {
            return Results.Problem(title: "Conflict", detail: e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }
}
