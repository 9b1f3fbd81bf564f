using Gatehouse.Engine.Models;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.DataPlane;

internal static class DataPlaneApi
{
    public static IEndpointRouteBuilder MapDataPlaneApi(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/v1").WithMetadata(new PlaneMetadata(Plane.DataPlane));
        v1.MapPost("/messages", (HttpContext context, DataPlaneHandler handler) => handler.HandleAsync(context, ApiDialect.Anthropic));
        v1.MapPost("/chat/completions", (HttpContext context, DataPlaneHandler handler) => handler.HandleAsync(context, ApiDialect.OpenAI));
        v1.MapGet("/models", (HttpContext context, ModelListing listing) => listing.ListAsync(context));
        v1.MapGet("/models/{id}", (HttpContext context, string id, ModelListing listing) => listing.GetAsync(context, id));

        routes.MapFallback(NotFoundAsync).WithMetadata(new PlaneMetadata(Plane.DataPlane));
        return routes;
    }

    // The fallback also catches a known path with the wrong method, which deserves a 405.
    private static readonly string[] KnownPaths = ["/v1/messages", "/v1/chat/completions", "/v1/models"];

    private static Task NotFoundAsync(HttpContext context)
    {
        var request = context.Request;
        var wrongMethod = KnownPaths.Any(p => request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));
        return ApiErrors.WriteAsync(context, ApiErrors.DialectOf(request),
            wrongMethod ? ErrorKind.MethodNotAllowed : ErrorKind.NotFound,
            $"{request.Method} {request.Path} is not an API of this gateway. It serves POST /v1/messages, POST /v1/chat/completions and GET /v1/models.");
    }
}
