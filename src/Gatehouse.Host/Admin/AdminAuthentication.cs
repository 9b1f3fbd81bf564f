using Gatehouse.Engine.Identity;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Admin;

/// <summary>Which admin roles may call an endpoint. The admin group gives every endpoint <see cref="Manage"/> unless the endpoint says otherwise.</summary>
internal sealed record AdminAccess(IReadOnlyList<string> Roles)
{
    /// <summary>Reading: every role.</summary>
    public static AdminAccess Read { get; } = new(AdminRoles.All);

    /// <summary>Working the review queue and suspending or reinstating accounts.</summary>
    public static AdminAccess Review { get; } = new([AdminRoles.Admin, AdminRoles.Reviewer]);

    /// <summary>Creating and changing anything else.</summary>
    public static AdminAccess Manage { get; } = new([AdminRoles.Admin]);
}

/// <summary>
/// Admits admin API calls that carry a valid admin token (<c>Authorization: Bearer gha_…</c>)
/// whose role the endpoint allows. Data-plane keys live in another table with another prefix and
/// never pass. A middleware after routing rather than an endpoint filter, so that it runs before
/// the request body is read: a caller without a token learns nothing from how a body is judged.
/// </summary>
internal sealed class AdminAuthentication(RequestDelegate next, IdentityState identityState)
{
    private const string TokenItem = "gatehouse.admin-token";

    /// <summary>Who is acting, as the audit records it: the token's id and role, never its secret.</summary>
    public static string ActorOf(HttpContext context) =>
        context.Items[TokenItem] is AdminTokenRecord token ? $"{token.Id} ({token.Role})" : throw new InvalidOperationException("The request was not authenticated.");

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<AdminAccess>() is not { } allowed)
        {
            return next(context);
        }
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? identityState.Current.AuthenticateAdmin(header[7..].Trim())
            : null;
        if (token is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(
                title: "Admin token required",
                detail: "Send an admin token as 'Authorization: Bearer gha_…'. The first one is written to the admin-token file beside the database at first start.",
                statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
        }
        if (!allowed.Roles.Contains(token.Role))
        {
            return Results.Problem(
                title: "Not allowed for this role",
                detail: $"{context.Request.Method} {context.Request.Path} needs the {string.Join(" or ", allowed.Roles)} role; token {token.Id} has the {token.Role} role.",
                statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
        }
        context.Items[TokenItem] = token;
        return next(context);
    }
}
