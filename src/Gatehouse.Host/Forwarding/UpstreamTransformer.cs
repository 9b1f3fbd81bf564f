using System.Net;
using Microsoft.AspNetCore.Http.Features;
using System.Net.Http.Headers;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Usage;
using Gatehouse.Host.DataPlane;
using Gatehouse.Host.Usage;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Host.Forwarding;

/// <summary>
/// Rewrites credentials on the way out and ids on the way back. The caller's gateway key never
/// leaves the gateway; the upstream's key never reaches the caller.
/// </summary>
internal sealed class UpstreamTransformer : HttpTransformer
{
    public static UpstreamTransformer Instance { get; } = new();

    // Headers that carry the caller's credentials, cookies, or choices that belong to the
    // gateway's upstream account rather than to the caller.
    private static readonly string[] CallerOnlyHeaders =
    [
        "x-api-key", "authorization", "cookie", "forwarded", "x-forwarded-for", "x-forwarded-host",
        "x-forwarded-proto", "x-real-ip", "openai-organization", "openai-project",
    ];

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        foreach (var header in CallerOnlyHeaders)
        {
            proxyRequest.Headers.Remove(header);
        }
        // Walk the caller's headers, not the outgoing ones: enumerating HttpRequestHeaders parses every value.
        foreach (var header in httpContext.Request.Headers.Keys)
        {
            if (IsGatehouseHeader(header))
            {
                proxyRequest.Headers.Remove(header);
            }
        }

        // Usage is read from the response as it passes, which a compressed body would hide; the
        // upstream answers uncompressed and the caller's client reads that just as well.
        proxyRequest.Headers.Remove("accept-encoding");

        var endpoint = httpContext.Features.GetRequiredFeature<ForwardingTarget>().Endpoint;
        if (endpoint.ApiKey is { Length: > 0 } key)
        {
            if (endpoint.Provider == ApiDialect.Anthropic)
            {
                proxyRequest.Headers.TryAddWithoutValidation("x-api-key", key);
            }
            else
            {
                proxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var target = httpContext.Features.GetRequiredFeature<ForwardingTarget>();
        if (target.CanFailOver && proxyResponse is { StatusCode: >= HttpStatusCode.InternalServerError })
        {
            // Nothing has reached the caller yet: hold the failure back and let the next endpoint answer.
            target.HeldBackStatus = proxyResponse.StatusCode;
            return false;
        }
        if (proxyResponse?.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The upstream refused the gateway's key, not the caller's: passing the 401 on would
            // tell the caller their own key is wrong.
            await ApiErrors.WriteAsync(httpContext, target.CallerDialect, ErrorKind.BadGateway,
                $"The upstream serving this model (endpoint {target.Endpoint.Id}) refused the gateway's credentials. Contact your administrator.");
            target.Label(httpContext.Response.Headers);
            return false;
        }
        var headers = httpContext.Response.Headers;
        var requestId = headers[RequestIdMiddleware.Header];
        headers.Remove(RequestIdMiddleware.Header);
        var result = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);

        // Keep the upstream's id for support cases with the provider, under its own name.
        var upstreamId = headers[RequestIdMiddleware.Header];
        if (upstreamId.Count > 0)
        {
            headers["upstream-request-id"] = upstreamId;
        }
        headers[RequestIdMiddleware.Header] = requestId;
        target.Label(headers);
        if (proxyResponse is { IsSuccessStatusCode: true, Content: { } content })
        {
            target.Usage = UsageParser.For(content.Headers.ContentType?.MediaType, IsEncoded(content.Headers.ContentEncoding));
            proxyResponse.Content = new MeteredContent(content, target.Usage);
        }
        return result;
    }

    private static bool IsEncoded(ICollection<string> contentEncoding) =>
        contentEncoding.Count > 0 && contentEncoding.Any(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase));

    private static bool IsGatehouseHeader(string name) => name.StartsWith("gatehouse-", StringComparison.OrdinalIgnoreCase);
}
