using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Networking;

namespace Gatehouse.Host.DataPlane;

/// <summary>The first two stages of every data-plane request: where it comes from, and whose key it carries.</summary>
internal static class CallerIdentification
{
    public static ClientAddress ResolveClient(HttpContext context, NetworkSet trustedProxies)
    {
        var socket = context.Connection.RemoteIpAddress;
        if (socket is null)
        {
            return ClientAddress.Unknown("the connection has no IP address");
        }
        var headers = context.Request.Headers;
        // StringValues.ToString() joins several header lines with commas, which HTTP defines as
        // equivalent, and allocates nothing for the usual zero or one line.
        return ClientAddressResolver.Resolve(socket, trustedProxies, headers["X-Forwarded-For"].ToString(), headers["Forwarded"].ToString());
    }

    /// <summary>
    /// Reads the key from <c>x-api-key</c> (Anthropic SDKs) or <c>Authorization: Bearer</c>
    /// (OpenAI SDKs). Two different keys in one request are refused rather than one guessed at.
    /// </summary>
    public static (Principal? Principal, string Problem) Authenticate(HttpRequest request, IdentitySnapshot identity)
    {
        var apiKeys = request.Headers["x-api-key"];
        var authorization = request.Headers.Authorization;
        if (apiKeys.Count > 1 || authorization.Count > 1)
        {
            return (null, "The request carries more than one API key header; send your key once.");
        }
        string? bearer = null;
        if (authorization.Count == 1)
        {
            var value = authorization[0]!;
            if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return (null, "The Authorization header must be 'Bearer <your Gatehouse API key>'.");
            }
            bearer = value[7..].Trim();
        }
        var apiKey = apiKeys.Count == 1 ? apiKeys[0]!.Trim() : null;
        if (apiKey is not null && bearer is not null && apiKey != bearer)
        {
            return (null, "The request carries two different API keys (x-api-key and Authorization); send one.");
        }
        var presented = apiKey ?? bearer;
        if (string.IsNullOrEmpty(presented))
        {
            return (null, "No API key was sent. Send your Gatehouse API key in the x-api-key header or as Authorization: Bearer <key>.");
        }
        var principal = identity.Authenticate(presented);
        return principal is null
            ? (null, "The API key is not valid for this gateway. Check that you are using the key your administrator issued.")
            : (principal, "");
    }
}
