using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Gatehouse.Host.Hosting;

/// <summary>The two faces of the server, each on its own listeners.</summary>
internal enum Plane
{
    DataPlane,
    Admin,
}

/// <summary>Endpoint metadata: the plane an endpoint belongs to. Endpoints without it (health) answer on both.</summary>
internal sealed record PlaneMetadata(Plane Plane);

/// <summary>
/// Marks each connection with the plane of the listener it arrived on, and refuses a request
/// whose endpoint belongs to the other plane, so that the admin API cannot be reached through
/// the data-plane port even when both share an address.
/// </summary>
internal static class Planes
{
    private const string ConnectionItem = "gatehouse.plane";

    public static Func<ConnectionDelegate, ConnectionDelegate> Tag(Plane plane) => next => connection =>
    {
        connection.Items[ConnectionItem] = plane;
        return next(connection);
    };

    public static Plane? Of(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ConnectionItem, out var plane) == true
            ? (Plane)plane!
            : null;

    /// <summary>Runs after routing: an endpoint of the other plane is answered as if it did not exist.</summary>
    public static Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var required = context.GetEndpoint()?.Metadata.GetMetadata<PlaneMetadata>()?.Plane;
        if (required is not null && required != Of(context))
        {
            context.SetEndpoint(null);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return next(context);
    }
}
