namespace Gatehouse.Engine.Decisions;

/// <summary>One step of the decision pipeline, with one job.</summary>
public interface IDecisionStage
{
    DecisionLayer Layer { get; }

    /// <summary>Continues, or stops the pipeline with a denial. Never throws for bad input.</summary>
    StageResult Evaluate(DecisionContext context);
}

/// <summary>A stage's verdict: go on, or deny with a reason.</summary>
public readonly record struct StageResult(string? ReasonCode, string Rule, string Message)
{
    public static StageResult Continue { get; } = new(null, "", "");

    public bool IsDenial => ReasonCode is not null;

    public static StageResult Deny(string reasonCode, string rule, string message) => new(reasonCode, rule, message);
}
