using Gatehouse.Engine.Models;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Chooses the endpoints that may serve the request, in the order they are tried: the configured
/// ones that speak the caller's API and have what they need to be called. The first serves; the
/// others take over if it fails before answering.
/// </summary>
internal sealed class RoutingStage(IStoredEndpoints stored) : IDecisionStage
{
    public DecisionLayer Layer => DecisionLayer.Routing;

    public StageResult Evaluate(DecisionContext context)
    {
        var model = context.Model!;
        var api = context.Request.Api;
        ApiDialect? otherApi = null;
        var missingKey = false;
        List<EndpointDefinition>? usable = null;
        var created = stored.EndpointsOf(model.Id);
        foreach (var endpoint in created.Count == 0 ? model.Endpoints : model.Endpoints.Concat(created))
        {
            if (api is not null && endpoint.Provider != api)
            {
                otherApi = endpoint.Provider;
                context.Record(Layer, "routing.endpoint", "skipped", $"{endpoint.Id}: speaks the {ApiName(endpoint.Provider)}, the request the {ApiName(api.Value)}");
                continue;
            }
            if (endpoint.IsMissingApiKey)
            {
                missingKey = true;
                context.Record(Layer, "routing.endpoint", "skipped", $"{endpoint.Id}: environment variable {endpoint.ApiKeyVariable} was not set when the configuration was read");
                continue;
            }
            context.Record(Layer, "routing.endpoint", usable is null ? "chosen" : "fallback", $"{endpoint.Id} in {endpoint.Region}");
            (usable ??= []).Add(endpoint);
        }
        if (usable is not null)
        {
            context.Endpoints = usable;
            return StageResult.Continue;
        }
        var why = (otherApi, missingKey) switch
        {
            (_, true) => "its upstream key is not configured",
            ({ } provider, false) => $"it is served here only through the {ApiName(provider)} ({RouteOf(provider)})",
            _ => "no endpoint is configured for it",
        };
        return StageResult.Deny(ReasonCodes.ModelNoEndpoint, "routing.endpoint",
            $"{model.Id} cannot be served on this route: {why}. Contact your administrator if this is unexpected.");
    }

    private static string ApiName(ApiDialect api) => api == ApiDialect.Anthropic ? "Anthropic Messages API" : "OpenAI Chat Completions API";

    private static string RouteOf(ApiDialect api) => api == ApiDialect.Anthropic ? "POST /v1/messages" : "POST /v1/chat/completions";
}
