namespace Gatehouse.Engine.Policy;

/// <summary>A statement's <c>Effect</c>.</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}

/// <summary>
/// Which statement of which document: what an evaluation names as the statement that decided,
/// and what an explanation lists. One instance per statement, made when the document is parsed,
/// so handing it out allocates nothing.
/// </summary>
/// <param name="Document">The document's name as given to <see cref="PolicyDocument.Parse"/>.</param>
/// <param name="Index">0-based position in the document's <c>Statement</c> list (0 when it is a single object).</param>
/// <param name="Sid">The statement's <c>Sid</c>, when it has one.</param>
/// <param name="Line">1-based line the statement starts on.</param>
public sealed record PolicyStatementReference(string Document, int Index, string? Sid, PolicyEffect Effect, int Line)
{
    /// <summary><c>policies/eu.json: Statement[2] (Sid "KeepInEu")</c>.</summary>
    public override string ToString() =>
        Sid is null ? $"{Document}: Statement[{Index}]" : $"{Document}: Statement[{Index}] (Sid \"{Sid}\")";
}

/// <summary>
/// A statement compiled for evaluation: its actions and resources as matchers, its conditions
/// with their values parsed. A statement matches a request when its action and resource match
/// (for <c>NotAction</c>/<c>NotResource</c>: do not match) and every condition holds.
/// </summary>
internal sealed class PolicyStatement(
    PolicyStatementReference reference,
    IReadOnlyList<string> actionPatterns,
    bool notAction,
    IReadOnlyList<string> resourcePatterns,
    bool notResource,
    PolicyCondition[] conditions)
{
    private readonly StringMatcher _actions = StringMatcher.Create(actionPatterns, ignoreCase: true, wildcards: true);
    private readonly StringMatcher _resources = StringMatcher.Create(resourcePatterns, ignoreCase: false, wildcards: true);

    public PolicyStatementReference Reference { get; } = reference;

    /// <summary>The actions named without wildcards (in Action or NotAction): those a set indexes its statements by.</summary>
    public IEnumerable<string> LiteralActions { get; } = [.. actionPatterns.Where(a => !GlobPattern.HasWildcards(a))];

    public bool IsDeny { get; } = reference.Effect == PolicyEffect.Deny;

    public IReadOnlyList<PolicyCondition> Conditions => conditions;

    /// <summary>Actions are matched ignoring case, as IAM matches them.</summary>
    public bool AppliesToAction(string action) => _actions.IsMatch(action) != notAction;

    public bool Matches(PolicyRequest request) => AppliesToAction(request.Action) && MatchesAllButAction(request);

    /// <summary>The resource and the conditions, for callers that already know the action applies.</summary>
    public bool MatchesAllButAction(PolicyRequest request)
    {
        if (_resources.IsMatch(request.Resource) == notResource)
        {
            return false;
        }
        foreach (var condition in conditions)
        {
            if (!condition.IsSatisfiedBy(request))
            {
                return false;
            }
        }
        return true;
    }

    public override string ToString() => Reference.ToString();
}
