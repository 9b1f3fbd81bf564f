using Gatehouse.Engine.Identity;

namespace Gatehouse.Host.DataPlane;

/// <summary>
/// Gives every request an id, returned in the <c>request-id</c> header (as Anthropic's API does)
/// and written into logs, so a caller's report can be matched to what the gateway saw.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "request-id";

    public Task InvokeAsync(HttpContext context)
    {
        var id = Identifiers.NewNonSecret("req");
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        return next(context);
    }
}
