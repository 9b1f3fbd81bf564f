namespace Gatehouse.Engine.Decisions;

/// <summary>Resolves the requested name (id or alias) to a configured model.</summary>
internal sealed class ModelStage : IDecisionStage
{
    public DecisionLayer Layer => DecisionLayer.Model;

    public StageResult Evaluate(DecisionContext context)
    {
        var requested = context.Request.RequestedModel;
        if (!context.Configuration.Models.TryResolve(requested, out var model))
        {
            context.Record(Layer, "model.resolve", "unknown", $"'{requested}' is neither a model id nor an alias");
            return StageResult.Deny(ReasonCodes.ModelUnknown, "model.resolve",
                $"The model '{requested}' does not exist on this gateway. GET /v1/models lists the models you may use.");
        }
        context.Model = model;
        context.Record(Layer, "model.resolve", "found",
            requested == model.Id ? model.Id : $"alias '{requested}' of {model.Id}");
        return StageResult.Continue;
    }
}
