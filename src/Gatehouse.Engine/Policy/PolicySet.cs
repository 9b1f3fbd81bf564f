using System.Collections.Frozen;

namespace Gatehouse.Engine.Policy;

/// <summary>
/// Policy documents evaluated together, compiled once: immutable and safe to share between
/// threads, to be swapped whole when the documents change. <see cref="Evaluate"/> allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// <b>Decision.</b> Any matching Deny statement denies explicitly; otherwise any matching Allow
/// allows; otherwise the request is denied implicitly (nothing allowed it). A statement matches
/// when its <c>Action</c> matches the request's action (<c>NotAction</c>: does not match; actions
/// ignore case), its <c>Resource</c> matches the resource (<c>NotResource</c>: does not; resources
/// are case-sensitive), and every condition holds. The statement reported is the first matching
/// Deny, or the first matching Allow, in set order (documents in the order given, statements in
/// document order). An empty set denies everything implicitly; see <see cref="HasStatements"/>.
/// </para>
/// <para>
/// <b>Conditions</b>, as IAM documents them. All operators of a <c>Condition</c> hold together
/// (AND), and all keys under one operator (AND); the values listed for one key are alternatives
/// (OR), and for a negated operator (<c>StringNotEquals</c>, <c>StringNotEqualsIgnoreCase</c>,
/// <c>StringNotLike</c>, <c>NumericNotEquals</c>, <c>DateNotEquals</c>, <c>NotIpAddress</c>) the
/// request's value must match none of them. A key the request lacks makes a condition false,
/// except under a negated operator, where it is true. <c>…IfExists</c> makes a lacking key true.
/// <c>Null</c> with <c>"true"</c> holds when the key is lacking, with <c>"false"</c> when it is
/// there. <c>ForAnyValue:</c> holds when one of the request's values matches and is false for a
/// lacking or empty set; <c>ForAllValues:</c> holds when every request value matches, and is true
/// for a lacking or empty set (add <c>Null: false</c> to refuse that case). Set qualifiers apply
/// to multi-valued keys only (<c>gate:LicensedCountries</c>); a plain operator on a multi-valued
/// key holds when any request value matches, a plain negated one when no request value matches
/// (so each is the other's exact complement). An empty set is the same as a lacking key.
/// </para>
/// <para>
/// <b>Values.</b> Numbers are decimals; dates ISO 8601 or seconds since 1970, compared as
/// instants; IP conditions take addresses and CIDR networks, IPv4 and IPv6, and an IPv4 network
/// never contains an IPv6 address. Each operator family applies only to keys of its type:
/// String to the string keys, Numeric to <c>gate:CallerAsn</c>, Date to <c>gate:CurrentTime</c>,
/// Bool to <c>gate:IdentityVerified</c>, IpAddress to <c>gate:CallerIp</c>; Null to any key.
/// </para>
/// </remarks>
public sealed class PolicySet
{
    private readonly PolicyStatement[] _statements;
    private readonly Candidates _everyStatement;
    private readonly FrozenDictionary<string, Candidates> _byAction;

    /// <summary>
    /// The Deny and the Allow statements that may match one action, in set order. For an action
    /// some policy names (or one of <see cref="PolicyActions"/>), only the statements whose action
    /// matches it are listed, so evaluating skips the action test; for any other action, every
    /// statement is listed and tested.
    /// </summary>
    private sealed class Candidates(PolicyStatement[] denies, PolicyStatement[] allows, bool actionChecked)
    {
        public PolicyStatement[] Denies { get; } = denies;
        public PolicyStatement[] Allows { get; } = allows;
        public bool ActionChecked { get; } = actionChecked;
    }

    private PolicySet(IReadOnlyList<PolicyDocument> documents)
    {
        Documents = documents;
        _statements = [.. documents.SelectMany(d => d.Statements)];
        _everyStatement = CandidatesFor(_statements, actionChecked: false);

        var actions = new HashSet<string>(PolicyActions.Known, StringComparer.OrdinalIgnoreCase);
        foreach (var statement in _statements)
        {
            actions.UnionWith(statement.LiteralActions);
        }
        _byAction = actions.ToFrozenDictionary(
            action => action,
            action => CandidatesFor([.. _statements.Where(s => s.AppliesToAction(action))], actionChecked: true),
            StringComparer.OrdinalIgnoreCase);
    }

    private static Candidates CandidatesFor(PolicyStatement[] statements, bool actionChecked) =>
        new([.. statements.Where(s => s.IsDeny)], [.. statements.Where(s => !s.IsDeny)], actionChecked);

    /// <summary>A set with no documents: it denies everything implicitly.</summary>
    public static PolicySet Empty { get; } = new([]);

    /// <summary>The documents, in the order given to <see cref="Compile"/>.</summary>
    public IReadOnlyList<PolicyDocument> Documents { get; }

    public int StatementCount => _statements.Length;

    /// <summary>
    /// False when there is nothing to evaluate: every request would be denied implicitly. The
    /// caller decides what an organisation with no policy means; the engine does not guess.
    /// </summary>
    public bool HasStatements => _statements.Length > 0;

    /// <summary>Compiles documents into one set. Two documents with the same name are refused, since results name documents.</summary>
    /// <exception cref="ArgumentException">Two documents share a name.</exception>
    public static PolicySet Compile(IEnumerable<PolicyDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        PolicyDocument[] list = [.. documents];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in list)
        {
            ArgumentNullException.ThrowIfNull(document, nameof(documents));
            if (!names.Add(document.Name))
            {
                throw new ArgumentException($"Two policy documents are named '{document.Name}'; each needs its own name.", nameof(documents));
            }
        }
        return list.Length == 0 ? Empty : new PolicySet(list);
    }

    /// <summary>Decides a request. Allocates nothing; the request is only read.</summary>
    public PolicyEvaluation Evaluate(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var candidates = _byAction.GetValueOrDefault(request.Action) ?? _everyStatement;
        if (FirstMatch(candidates.Denies, request, candidates.ActionChecked) is { } deny)
        {
            return new PolicyEvaluation(PolicyOutcome.ExplicitDeny, deny.Reference);
        }
        if (FirstMatch(candidates.Allows, request, candidates.ActionChecked) is { } allow)
        {
            return new PolicyEvaluation(PolicyOutcome.Allow, allow.Reference);
        }
        return new PolicyEvaluation(PolicyOutcome.ImplicitDeny, null);
    }

    private static PolicyStatement? FirstMatch(PolicyStatement[] statements, PolicyRequest request, bool actionChecked)
    {
        foreach (var statement in statements)
        {
            if ((actionChecked || statement.AppliesToAction(request.Action)) && statement.MatchesAllButAction(request))
            {
                return statement;
            }
        }
        return null;
    }

    /// <summary>
    /// Every statement that matches the request, and the decision, for people (the explain API,
    /// the CLI, audit detail). Allocates; decides with the same statement tests as <see cref="Evaluate"/>.
    /// </summary>
    public PolicyExplanation Explain(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var matched = _statements.Where(s => s.Matches(request)).ToList();
        var decidedBy = matched.FirstOrDefault(s => s.IsDeny) ?? matched.FirstOrDefault();
        var outcome = decidedBy is null ? PolicyOutcome.ImplicitDeny : decidedBy.IsDeny ? PolicyOutcome.ExplicitDeny : PolicyOutcome.Allow;
        return new PolicyExplanation(new PolicyEvaluation(outcome, decidedBy?.Reference), [.. matched.Select(s => s.Reference)]);
    }

    public override string ToString() => $"{Documents.Count} policy documents, {StatementCount} statements";
}
