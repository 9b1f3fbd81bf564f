namespace Gatehouse.Engine.Decisions;

/// <summary>Chooses the endpoint that serves the request: the first configured one that can.</summary>
internal sealed class RoutingStage : IDecisionStage
{
    public DecisionLayer Layer => DecisionLayer.Routing;

    public StageResult Evaluate(DecisionContext context)
    {
        var model = context.Model!;
        foreach (var endpoint in model.Endpoints)
        {
            if (endpoint.IsMissingApiKey)
            {
                context.Record(Layer, "routing.endpoint", "skipped", $"{endpoint.Id}: environment variable {endpoint.ApiKeyVariable} is not set");
                continue;
            }
            context.Endpoint = endpoint;
            context.Record(Layer, "routing.endpoint", "chosen", $"{endpoint.Id} in {endpoint.Region}");
            return StageResult.Continue;
        }
        var why = model.Endpoints.Count == 0
            ? "no endpoint is configured for it"
            : "none of its endpoints has its upstream key set";
        return StageResult.Deny(ReasonCodes.ModelNoEndpoint, "routing.endpoint",
            $"{model.Id} cannot be served right now: {why}. Contact your administrator.");
    }
}
