using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Admin;

/// <summary>
/// Admits admin API calls that carry a valid admin token (<c>Authorization: Bearer gha_…</c>).
/// Data-plane keys live in another table with another prefix and never pass.
/// </summary>
internal sealed class AdminAuthentication(IdentityState identityState) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? identityState.Current.AuthenticateAdmin(header[7..].Trim())
            : null;
        if (token is null)
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(
                title: "Admin token required",
                detail: "Send an admin token as 'Authorization: Bearer gha_…'. The first one is written to the admin-token file beside the database at first start.",
                statusCode: StatusCodes.Status401Unauthorized);
        }
        return await next(context);
    }
}
