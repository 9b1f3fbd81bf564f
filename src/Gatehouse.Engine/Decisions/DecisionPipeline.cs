using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Runs the stages in the order given and turns the first denial, or the end of the line, into
/// a <see cref="Decision"/>. This is the only place a decision is made.
/// </summary>
public sealed class DecisionPipeline(IEnumerable<IDecisionStage> stages, TimeProvider timeProvider)
{
    private readonly IDecisionStage[] _stages = [.. stages];

    /// <summary>
    /// The key and the account's status come first: a revoked key or a suspended account is
    /// refused whatever it asks for and wherever it is.
    /// </summary>
    /// <param name="modelSwitches">Which models operators have switched off; none when omitted.</param>
    public static DecisionPipeline CreateDefault(Geo.IGeoLocator geoLocator, TimeProvider timeProvider, Models.IModelSwitches? modelSwitches = null) =>
        new([new AccountStage(), new ModelStage(modelSwitches ?? NoModelSwitches.Instance), new GeoStage(geoLocator), new IdentityStage(), new RoutingStage()], timeProvider);

    private sealed class NoModelSwitches : Models.IModelSwitches
    {
        public static NoModelSwitches Instance { get; } = new();

        public Models.ModelSwitch? DisabledSwitch(string modelId) => null;
    }

    public Decision Decide(DecisionRequest request, GatewayConfiguration configuration)
    {
        var context = new DecisionContext(request, configuration, timeProvider.GetUtcNow());
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
        Time = context.Now,
        Principal = context.Request.Principal,
        RequestedModel = context.Request.RequestedModel,
        Client = context.Request.Client,
        Location = context.Location,
        Model = context.Model,
        Endpoint = context.Endpoint,
        Endpoints = context.Endpoints,
        License = context.License,
        Trace = context.Trace,
    };
}
