using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Runs the stages in order and turns the first denial, or the end of the line, into a
/// <see cref="Decision"/>. This is the only place a decision is made.
/// </summary>
public sealed class DecisionPipeline(IEnumerable<IDecisionStage> stages, TimeProvider timeProvider)
{
    private readonly IDecisionStage[] _stages = [.. stages.OrderBy(s => s.Layer)];

    public static DecisionPipeline CreateDefault(Geo.IGeoLocator geoLocator, TimeProvider timeProvider) =>
        new([new ModelStage(), new GeoStage(geoLocator), new RoutingStage()], timeProvider);

    public Decision Decide(DecisionRequest request, GatewayConfiguration configuration)
    {
        var context = new DecisionContext(request, configuration);
        foreach (var stage in _stages)
        {
            var result = stage.Evaluate(context);
            if (result.IsDenial)
            {
                return Finish(context, DecisionEffect.Deny, result.ReasonCode!, stage.Layer, result.Rule, result.Message);
            }
        }
        var endpoint = context.Endpoint!;
        return Finish(context, DecisionEffect.Allow, ReasonCodes.Allowed, DecisionLayer.Routing, "routing.endpoint",
            $"{context.Model!.Id} is served by endpoint {endpoint.Id} in {endpoint.Region}.");
    }

    private Decision Finish(DecisionContext context, DecisionEffect effect, string reasonCode, DecisionLayer layer, string rule, string message) => new()
    {
        Id = Identifiers.NewNonSecret("dec"),
        Effect = effect,
        ReasonCode = reasonCode,
        Layer = layer,
        Rule = rule,
        Message = message,
        Time = timeProvider.GetUtcNow(),
        RequestedModel = context.Request.RequestedModel,
        Client = context.Request.Client,
        Location = context.Location,
        Model = context.Model,
        Endpoint = context.Endpoint,
        Trace = context.Trace,
    };
}
