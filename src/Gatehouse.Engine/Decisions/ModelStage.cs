namespace Gatehouse.Engine.Decisions;

/// <summary>Resolves the requested name (id or alias) to a configured model, and refuses it while an operator has it switched off.</summary>
internal sealed class ModelStage(Models.IModelSwitches switches) : IDecisionStage
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
        if (switches.DisabledSwitch(model.Id) is { } off)
        {
            context.Record(Layer, "model.switch", "disabled", $"{model.Id} disabled at {off.ChangedAt:u} by {off.ChangedBy}: {off.Reason}");
            return StageResult.Deny(ReasonCodes.ModelDisabled, "model.switch",
                $"{model.Id} has been switched off on this gateway by its operator since {off.ChangedAt:u}: {off.Reason}");
        }
        return StageResult.Continue;
    }
}
