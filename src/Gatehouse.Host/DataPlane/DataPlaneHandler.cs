using System.Diagnostics;
using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Observability;
using Gatehouse.Host.Audit;
using Gatehouse.Host.Forwarding;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Identity;
using Gatehouse.Host.Observability;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Host.DataPlane;

/// <summary>
/// One model request, start to finish: client, authenticate, the key's rate limit, read the
/// model, decide, commit the decision to the audit log, then forward the same bytes upstream or
/// answer the denial in the caller's dialect (after the identity monitor has seen it).
/// </summary>
internal sealed partial class DataPlaneHandler(
    ConfigurationState configurationState,
    IdentityState identityState,
    DecisionPipeline pipeline,
    IHttpForwarder forwarder,
    UpstreamInvoker invoker,
    IdentityMonitor identityMonitor,
    KeyRateLimiter rateLimiter,
    GatehouseMetrics metrics,
    AuditWriter audit,
    Usage.UsageRecorder usageRecorder,
    ILogger<DataPlaneHandler> logger)
{
    public async Task HandleAsync(HttpContext context, ApiDialect dialect)
    {
        using var activity = RequestTracing.StartRequest(context, dialect);
        await DecideAndForwardAsync(context, dialect, activity);
        RequestTracing.Finished(activity, context.Response.StatusCode);
    }

    private async Task DecideAndForwardAsync(HttpContext context, ApiDialect dialect, Activity? activity)
    {
        var configuration = configurationState.Current;
        var client = CallerIdentification.ResolveClient(context, configuration.TrustedProxies);
        var (principal, authProblem) = CallerIdentification.Authenticate(context.Request, identityState.Current);
        if (principal is null)
        {
            await ApiErrors.WriteAsync(context, dialect, ErrorKind.Unauthorized, authProblem);
            return;
        }
        RequestTracing.Authenticated(activity, principal);
        if (!await rateLimiter.AdmitAsync(context, dialect, principal.Key!))
        {
            return;
        }

        // The gateway enforces its own, reloadable limit while reading; Kestrel's fixed one would
        // answer with a bare 413 that no SDK can explain to its user.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }
        ModelRequestBody? body;
        ErrorKind? error;
        string message;
        try
        {
            (body, error, message) = await ModelRequestBody.ReadAsync(context.Request, configuration.MaxRequestBodySize, context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The caller went away or stalled mid-body (Kestrel's minimum data rate); nobody is left to answer.
            LogBodyAbandoned(e.Message);
            context.Abort();
            return;
        }
        if (body is null)
        {
            await ApiErrors.WriteAsync(context, dialect, error!, message);
            return;
        }

        var refusesSubstitution = string.Equals(context.Request.Headers[SubstitutionHeader], "refuse", StringComparison.OrdinalIgnoreCase);
        var decision = pipeline.Decide(new DecisionRequest(client, principal, body.Model, dialect) { RefusesSubstitution = refusesSubstitution }, configuration);
        metrics.RecordDecision(decision);
        RequestTracing.Decided(activity, decision);
        try
        {
            await audit.RecordAsync(AuditRecords.ForDecision(decision, context.TraceIdentifier), context.RequestAborted);
        }
        catch (AuditUnavailableException e)
        {
            LogUnrecorded(decision.Id, e.Message);
            ApiErrors.AskToRetrySoon(context);
            await ApiErrors.WriteAsync(context, dialect, ErrorKind.Unavailable,
                "The gateway cannot record decisions right now, and serves nothing it has not recorded. Try again shortly.", AuditUnavailableCode);
            return;
        }
        if (!decision.IsAllowed)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogDenied(decision.Id, decision.ReasonCode, decision.RequestedModel, client.ToString(), principal.Key!.Id);
            }
            await identityMonitor.ObserveAsync(decision);
            await ApiErrors.WriteDenialAsync(context, dialect, decision);
            return;
        }
        var decisionHeader = ApiErrors.DecisionHeaderValue(decision);
        var substitute = decision.Effect == DecisionEffect.Substitute ? decision.Model!.Id : null;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogAllowed(decision.Id, decision.Model!.Id, decision.Endpoint!.Id, client.ToString(), principal.Key!.Id);
        }
        await ForwardAsync(context, dialect, body, decision.Endpoints, decisionHeader, substitute, configuration.Upstream);
        // Counted once an upstream has answered with success, even if the copy to the caller broke off: the upstream bills what it produced.
        if (context.Features.Get<ForwardingTarget>()?.Usage is { } usage)
        {
            usageRecorder.Record(decision, usage);
        }
    }

    /// <summary>The OpenAI error code of a request refused because its decision could not be recorded.</summary>
    public const string AuditUnavailableCode = "audit_unavailable";

    /// <summary>Sent by a caller as <c>refuse</c> to be refused rather than served by a substitute model.</summary>
    public const string SubstitutionHeader = "gatehouse-substitution";

    /// <summary>On a response served by a substitute: the model that served it.</summary>
    public const string SubstitutedModelHeader = "gatehouse-substituted-model";

    /// <summary>Names the endpoint that answered (<c>eu-2; tried=eu-1</c> after a failover).</summary>
    public const string EndpointHeader = "gatehouse-endpoint";

    /// <summary>
    /// Forwards to the decision's endpoints in order: a connection failure, a timeout or a 5xx
    /// answer before anything has reached the caller moves on to the next one. The endpoints are
    /// those the decision allowed, so a failover never leaves them.
    /// </summary>
    private async Task ForwardAsync(HttpContext context, ApiDialect dialect, ModelRequestBody body, IReadOnlyList<EndpointDefinition> endpoints, string decisionHeader,
        string? substitute, Engine.Configuration.UpstreamSettings upstream)
    {
        List<string>? tried = null;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            var bytes = body.WithModel(endpoint.UpstreamModel);
            context.Request.Body = new MemoryStream(bytes, writable: false);
            context.Request.ContentLength = bytes.Length;
            var served = tried is null ? endpoint.Id : $"{endpoint.Id}; tried={string.Join(',', tried)}";
            var target = new ForwardingTarget(endpoint, dialect, decisionHeader, CanFailOver: i < endpoints.Count - 1, served, substitute);
            context.Features.Set(target);

            var error = await SendAsync(context, endpoint, i + 1, target, upstream);
            if (error == ForwarderError.None && target.HeldBackStatus is null)
            {
                return;
            }
            if (context.RequestAborted.IsCancellationRequested)
            {
                // The caller went away: nothing is wrong with the upstream, and nobody is left to answer.
                LogCallerLeft(endpoint.Id, error.ToString());
                return;
            }
            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            LogForwardFailed(endpoint.Id, target.HeldBackStatus is { } status ? $"HTTP {(int)status}" : error.ToString(), exception);
            if (context.Response.HasStarted)
            {
                return;
            }
            context.Response.Clear();
            if (target.CanFailOver)
            {
                (tried ??= []).Add(endpoint.Id);
                continue;
            }
            context.Response.Headers[RequestIdMiddleware.Header] = context.TraceIdentifier;
            target.Label(context.Response.Headers);
            var (kind, text) = error == ForwarderError.RequestTimedOut
                ? (ErrorKind.GatewayTimeout, $"The upstream serving this model (endpoint {endpoint.Id} in {endpoint.Region}) did not answer in time.")
                : (ErrorKind.BadGateway, $"The upstream serving this model (endpoint {endpoint.Id} in {endpoint.Region}) could not be reached. Try again later or contact your administrator.");
            await ApiErrors.WriteAsync(context, dialect, kind, tried is null ? text : $"{text} Endpoints tried before it: {string.Join(", ", tried)}.");
        }
    }

    /// <summary>One attempt at one endpoint, timed and traced.</summary>
    private async Task<ForwarderError> SendAsync(HttpContext context, EndpointDefinition endpoint, int attempt, ForwardingTarget target, Engine.Configuration.UpstreamSettings upstream)
    {
        using var activity = RequestTracing.StartUpstream(endpoint, attempt);
        var started = Stopwatch.GetTimestamp();
        var error = await forwarder.SendAsync(context, endpoint.BaseUrl.ToString(), invoker.For(upstream),
            new ForwarderRequestConfig { ActivityTimeout = upstream.ActivityTimeout }, UpstreamTransformer.Instance);
        // A held-back 5xx is the upstream's answer; any other error means no usable answer came.
        int? status = target.HeldBackStatus is { } held ? (int)held
            : error == ForwarderError.None || context.Response.HasStarted ? context.Response.StatusCode
            : null;
        metrics.RecordUpstream(endpoint.Id, status, started, canceledByCaller: error != ForwarderError.None && context.RequestAborted.IsCancellationRequested);
        RequestTracing.UpstreamFinished(activity, status, error == ForwarderError.None ? null : error.ToString());
        return error;
    }

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Request body not received in full: {Reason}")]
    private partial void LogBodyAbandoned(string reason);

    // Decisions are in the audit log; these lines are for following traffic at Debug level.
    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Denied {DecisionId}: {ReasonCode} for model {Model} from {Client} (key {KeyId})")]
    private partial void LogDenied(string decisionId, string reasonCode, string model, string client, string keyId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Allowed {DecisionId}: model {Model} via {Endpoint} from {Client} (key {KeyId})")]
    private partial void LogAllowed(string decisionId, string model, string endpoint, string client, string keyId);

    [LoggerMessage(EventId = 206, Level = LogLevel.Error, Message = "Refused {DecisionId} with 503: the decision could not be recorded: {Problem}")]
    private partial void LogUnrecorded(string decisionId, string problem);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "The caller hung up while endpoint {Endpoint} was answering ({Error})")]
    private partial void LogCallerLeft(string endpoint, string error);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Forwarding to endpoint {Endpoint} failed: {Error}")]
    private partial void LogForwardFailed(string endpoint, string error, Exception? exception);
}
