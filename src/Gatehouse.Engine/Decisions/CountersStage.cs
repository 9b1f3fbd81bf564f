using Gatehouse.Engine.Configuration;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// While Redis is configured but out of reach, rate limits, budgets and suspension counts hold
/// per node rather than across the nodes together; this stage refuses what the configuration
/// does not serve on such counts (by default the restricted models: fail closed). Right after
/// the model stage, since that choice depends on the model; only in a pipeline whose gateway has a
/// <c>redis</c> section.
/// </summary>
internal sealed class CountersStage(ISharedCounters counters) : IDecisionStage
{
    private const string Rule = "counters.shared";

    private const string Unreachable = "this gateway cannot reach the store its nodes share rate limits, budgets and suspension counts through";

    public DecisionLayer Layer => DecisionLayer.Counters;

    public StageResult Evaluate(DecisionContext context)
    {
        if (counters.Sharing != CounterSharing.Unreachable)
        {
            if (context.Request.Explains)
            {
                context.Record(Layer, Rule, "shared", "rate limits, budgets and suspension counts are kept in Redis, across the nodes");
            }
            return StageResult.Continue;
        }
        var model = context.Model!;
        var action = counters.OnUnavailable;
        var setting = $"redis.onUnavailable: {RedisSettings.NameOf(action)}";
        if (action == CountersUnavailableAction.RefuseAll)
        {
            context.Record(Layer, Rule, "unavailable", $"Redis is unreachable, so every request is refused ({setting})");
            return StageResult.Deny(ReasonCodes.CountersUnavailable, Rule,
                $"This request is refused for the moment: {Unreachable}, and it serves nothing until those limits hold across the nodes again. " +
                "Try again shortly; if this persists, contact your administrator.");
        }
        if (action == CountersUnavailableAction.RefuseRestricted && model.IsRestricted)
        {
            context.Record(Layer, Rule, "unavailable", $"Redis is unreachable, so restricted models such as {model.Id} are refused ({setting})");
            return StageResult.Deny(ReasonCodes.CountersUnavailable, Rule,
                $"{model.Id} is not served for the moment: {Unreachable}, and restricted models are served only while those limits hold across the nodes. " +
                "Try again shortly; if this persists, contact your administrator.");
        }
        context.Record(Layer, Rule, "local", $"Redis is unreachable; {model.Id} is served on this node's own counts ({setting})");
        return StageResult.Continue;
    }
}
