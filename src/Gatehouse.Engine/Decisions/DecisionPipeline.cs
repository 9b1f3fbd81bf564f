using System.Diagnostics;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Observability;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Runs the stages in the order given and turns the first denial, or the end of the line, into
/// a <see cref="Decision"/>. This is the only place a decision is made.
/// </summary>
/// <param name="metrics">Where stage timings go; none when omitted (the CLI's offline commands).</param>
public sealed class DecisionPipeline(IEnumerable<IDecisionStage> stages, TimeProvider timeProvider, GatehouseMetrics? metrics = null)
{
    private readonly Slot[] _stages = [.. stages.Select(s => new Slot(s))];

    /// <summary>A stage with its name in metrics and traces (<c>GeoStage</c> is <c>geo</c>), made once so that timing and tracing it allocate nothing.</summary>
    private sealed class Slot(IDecisionStage stage)
    {
        public IDecisionStage Stage { get; } = stage;
        public string Name { get; } = NameOf(stage);
        public KeyValuePair<string, object?> Tag { get; } = new("stage", NameOf(stage));
        public string ActivityName { get; } = "gatehouse.stage." + NameOf(stage);

        private static string NameOf(IDecisionStage stage)
        {
            var name = stage.GetType().Name;
            return (name.EndsWith("Stage", StringComparison.Ordinal) ? name[..^"Stage".Length] : name).ToLowerInvariant();
        }
    }

    /// <summary>
    /// The key and the account's status come first: a revoked key or a suspended account is
    /// refused whatever it asks for and wherever it is.
    /// </summary>
    /// <param name="modelSwitches">Which models operators have switched off; none when omitted.</param>
    /// <param name="storedEndpoints">Endpoints created at run time; none when omitted.</param>
    /// <param name="spendLimits">Budgets and what has been spent against them; no budget when omitted.</param>
    /// <param name="metrics">Where stage timings go; none when omitted.</param>
    /// <param name="sharedCounters">Whether the counters the nodes share can be kept; when omitted (no <c>redis</c> section) there is no counters stage.</param>
    /// <param name="storedPolicies">Policies put through the admin API; only the configured ones when omitted.</param>
    public static DecisionPipeline CreateDefault(Geo.IGeoLocator geoLocator, TimeProvider timeProvider, Models.IModelSwitches? modelSwitches = null,
        Models.IStoredEndpoints? storedEndpoints = null, Usage.ISpendLimits? spendLimits = null, GatehouseMetrics? metrics = null, ISharedCounters? sharedCounters = null,
        Policy.IStoredPolicies? storedPolicies = null) =>
        new([new AccountStage(), new BudgetStage(spendLimits ?? Nothing.Instance), new ModelStage(modelSwitches ?? Nothing.Instance),
            .. sharedCounters is null ? Array.Empty<IDecisionStage>() : [new CountersStage(sharedCounters)],
            new GeoStage(geoLocator), new IdentityStage(), new RoutingStage(storedEndpoints ?? Nothing.Instance), new PolicyStage(storedPolicies ?? Nothing.Instance)], timeProvider, metrics);

    /// <summary>No model switched off, no endpoint created at run time, no budget, no stored policy.</summary>
    private sealed class Nothing : Models.IModelSwitches, Models.IStoredEndpoints, Usage.ISpendLimits, Policy.IStoredPolicies
    {
        public static Nothing Instance { get; } = new();

        public Models.ModelSwitch? DisabledSwitch(string modelId) => null;

        public IReadOnlyList<Models.EndpointDefinition> EndpointsOf(string modelId) => [];

        public Usage.BudgetExhaustion? Exhausted(string accountId, string organizationId, DateTimeOffset now) => null;

        public PolicySettings Effective(PolicySettings configured) => configured;
    }

    public Decision Decide(DecisionRequest request, GatewayConfiguration configuration)
    {
        var context = new DecisionContext(request, configuration, timeProvider.GetUtcNow());
        if (Run(context) is not var (layer, denial))
        {
            var endpoint = context.Endpoint!;
            return Finish(context, DecisionEffect.Allow, ReasonCodes.Allowed, DecisionLayer.Routing, "routing.endpoint",
                $"{context.Model!.Id} is served by endpoint {endpoint.Id} in {endpoint.Region}.", context.Trace);
        }
        return Substituted(context, denial) ?? Finish(context, DecisionEffect.Deny, denial.ReasonCode!, layer, denial.Rule, denial.Message, context.Trace);
    }

    /// <summary>The stages in order, up to the first denial; null when none refuses.</summary>
    private (DecisionLayer Layer, StageResult Denial)? Run(DecisionContext context)
    {
        var timed = metrics?.TimesStages == true;
        foreach (var slot in _stages)
        {
            var started = timed ? Stopwatch.GetTimestamp() : 0;
            using var activity = GatehouseTracing.Source.StartActivity(slot.ActivityName);
            var result = slot.Stage.Evaluate(context);
            if (timed)
            {
                metrics!.RecordStage(slot.Tag, started);
            }
            if (activity is not null)
            {
                activity.SetTag("gatehouse.stage", slot.Name);
                activity.SetTag("gatehouse.stage.outcome", result.IsDenial ? "deny" : "continue");
                if (result.IsDenial)
                {
                    activity.SetTag("gatehouse.decision.reason", result.ReasonCode);
                    activity.SetTag("gatehouse.decision.rule", result.Rule);
                }
            }
            if (result.IsDenial)
            {
                return (slot.Stage.Layer, result);
            }
        }
        return null;
    }

    /// <summary>
    /// The refused model's substitute serves the request when all of these hold: the model has
    /// one; it was refused for a jurisdiction reason; the caller's organisation has opted in and
    /// the caller has not refused; the same request passes with every jurisdiction restriction
    /// lifted (so nothing but jurisdiction stands in the way) — or fails only because the refused
    /// model has no endpoint for this caller, which does not matter once the substitute serves;
    /// and the substitute itself is allowed, on its own rules and residency, to this caller.
    /// </summary>
    private Decision? Substituted(DecisionContext refused, StageResult denial)
    {
        var request = refused.Request;
        if (refused.Model is not { Substitute: { } substituteId } model || !ReasonCodes.IsJurisdictionReason(denial.ReasonCode!) ||
            request.Principal is not { Organization.AcceptsSubstitutes: true } principal || request.RefusesSubstitution)
        {
            return null;
        }
        const DecisionLayer Layer = DecisionLayer.Routing;
        var lifted = new DecisionContext(request, refused.Configuration, refused.Now) { LiftsJurisdictions = true };
        if (Run(lifted) is var (_, other) && !ReasonCodes.IsPlacementReason(other.ReasonCode!))
        {
            refused.Record(Layer, "substitution", "not_eligible", $"{model.Id} would be refused for {other.ReasonCode} too, not for jurisdiction alone");
            return null;
        }
        var substitute = new DecisionContext(request with { RequestedModel = substituteId }, refused.Configuration, refused.Now);
        if (Run(substitute) is var (_, substituteDenial))
        {
            refused.Record(Layer, "substitution", "refused", $"substitute {substituteId} is refused too: {substituteDenial.ReasonCode}");
            return null;
        }
        List<TraceEntry> trace = [.. refused.Trace, new(Layer, "substitution", "substitute",
            $"{model.Id} refused ({denial.ReasonCode}); organisation {principal.Organization.Id} accepts its substitute {substituteId}"), .. substitute.Trace];
        var endpoint = substitute.Endpoint!;
        return Finish(substitute, DecisionEffect.Substitute, denial.ReasonCode!, Layer, "substitution",
            $"{model.Id} is not available to this caller ({denial.Message}) {substituteId} serves the request instead, through endpoint {endpoint.Id} in {endpoint.Region}.", trace,
            requestedModel: request.RequestedModel);
    }

    private Decision Finish(DecisionContext context, DecisionEffect effect, string reasonCode, DecisionLayer layer, string rule, string message, IReadOnlyList<TraceEntry> trace,
        string? requestedModel = null) => new()
    {
        Id = Identifiers.NewNonSecret("dec"),
        Effect = effect,
        ReasonCode = reasonCode,
        Layer = layer,
        Rule = rule,
        Message = message,
        Time = context.Now,
        Principal = context.Request.Principal,
        RequestedModel = requestedModel ?? context.Request.RequestedModel,
        Client = context.Request.Client,
        Location = context.Location,
        Model = context.Model,
        Endpoints = context.Endpoints,
        License = context.License,
        Trace = trace,
    };
}
