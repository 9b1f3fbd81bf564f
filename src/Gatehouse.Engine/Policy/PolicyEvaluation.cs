namespace Gatehouse.Engine.Policy;

/// <summary>What a policy set decided about a request.</summary>
public enum PolicyOutcome
{
    /// <summary>No statement allowed the request (and none denied it): refused. The default, so an unset result refuses.</summary>
    ImplicitDeny,

    /// <summary>A statement allowed the request and none denied it.</summary>
    Allow,

    /// <summary>A Deny statement matched; no Allow can outweigh it.</summary>
    ExplicitDeny,
}

/// <summary>
/// The result of <see cref="PolicySet.Evaluate"/>: the outcome and the statement that decided it
/// (the first matching Deny for an explicit deny, the first matching Allow for an allow, none for
/// an implicit deny). A struct holding a shared reference: returning it allocates nothing.
/// </summary>
public readonly record struct PolicyEvaluation(PolicyOutcome Outcome, PolicyStatementReference? Statement)
{
    public bool IsAllowed => Outcome == PolicyOutcome.Allow;

    public override string ToString() => Statement is null ? Outcome.ToString() : $"{Outcome} by {Statement}";
}

/// <summary>
/// The result of <see cref="PolicySet.Explain"/>: every statement that matched the request, in
/// the order of the set (documents in order, statements in order within each), and which of them
/// decided. Its <see cref="Evaluation"/> is always what <see cref="PolicySet.Evaluate"/> returns.
/// </summary>
public sealed class PolicyExplanation
{
    internal PolicyExplanation(PolicyEvaluation evaluation, IReadOnlyList<PolicyStatementReference> matched)
    {
        Evaluation = evaluation;
        Matched = matched;
    }

    public PolicyEvaluation Evaluation { get; }

    public PolicyOutcome Outcome => Evaluation.Outcome;

    /// <summary>The statement that decided; null for an implicit deny.</summary>
    public PolicyStatementReference? DecidingStatement => Evaluation.Statement;

    /// <summary>Every matching statement, Allow and Deny alike, in set order.</summary>
    public IReadOnlyList<PolicyStatementReference> Matched { get; }

    public override string ToString() =>
        $"{Evaluation}; matched: {(Matched.Count == 0 ? "nothing" : string.Join("; ", Matched))}";
}
