using System.Diagnostics;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Observability;

namespace Gatehouse.Host.Observability;

/// <summary>
/// The data plane's activities: one per request (the decision stages nest under it, from the
/// pipeline) and one per upstream attempt. Tags name keys, accounts, models and endpoints by id
/// and never carry a secret, a header value or a body.
/// </summary>
internal static class RequestTracing
{
    public const string RequestActivity = "gatehouse.request";
    public const string UpstreamActivity = "gatehouse.upstream";

    /// <summary>A child of the server's activity for the request, which carries the caller's trace context.</summary>
    public static Activity? StartRequest(HttpContext context, ApiDialect dialect)
    {
        var activity = GatehouseTracing.Source.StartActivity(RequestActivity);
        activity?.SetTag("http.request.method", context.Request.Method)
            .SetTag("url.path", context.Request.Path.Value)
            .SetTag("gatehouse.api", EnumNames<ApiDialect>.Of(dialect))
            .SetTag("gatehouse.request_id", context.TraceIdentifier);
        return activity;
    }

    public static void Authenticated(Activity? activity, Principal principal) =>
        activity?.SetTag("gatehouse.key_id", principal.Key?.Id)
            .SetTag("gatehouse.account_id", principal.Account.Id);

    public static void Decided(Activity? activity, Decision decision) =>
        activity?.SetTag("gatehouse.decision.id", decision.Id)
            .SetTag("gatehouse.decision.effect", EnumNames<DecisionEffect>.Of(decision.Effect))
            .SetTag("gatehouse.decision.reason", decision.ReasonCode)
            .SetTag("gatehouse.decision.layer", EnumNames<DecisionLayer>.Of(decision.Layer))
            .SetTag("gatehouse.decision.rule", decision.Rule)
            .SetTag("gatehouse.model.requested", decision.RequestedModel)
            .SetTag("gatehouse.model", decision.Model?.Id)
            .SetTag("gatehouse.endpoint", decision.Endpoint?.Id)
            .SetTag("gatehouse.client.country", decision.Location?.Country)
            .SetTag("gatehouse.client.network_type", decision.Location?.NetworkTypeName);

    public static void Finished(Activity? activity, int status)
    {
        activity?.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <param name="attempt">1 for the first endpoint, 2 for the first failover, …</param>
    public static Activity? StartUpstream(EndpointDefinition endpoint, int attempt) =>
        GatehouseTracing.Source.StartActivity(UpstreamActivity, ActivityKind.Client)?
            .SetTag("gatehouse.endpoint", endpoint.Id)
            .SetTag("gatehouse.endpoint.region", endpoint.Region)
            .SetTag("gatehouse.upstream.attempt", attempt)
            .SetTag("server.address", endpoint.BaseUrl.Host)
            .SetTag("server.port", endpoint.BaseUrl.Port);

    /// <param name="status">The upstream's status, or null when none came.</param>
    /// <param name="error">The forwarder's error, when the attempt failed.</param>
    public static void UpstreamFinished(Activity? activity, int? status, string? error)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("http.response.status_code", status);
        if (error is not null)
        {
            activity.SetTag("error.type", error).SetStatus(ActivityStatusCode.Error);
        }
    }
}
