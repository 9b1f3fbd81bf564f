namespace Gatehouse.Engine.Policy;

/// <summary>
/// One mistake in a policy document, located precisely enough to fix it: the file, the line, the
/// statement and the field. Its text reads
/// <c>policies/eu.json:14: Statement[2] (Sid "KeepInEu"): Condition.StringEquals: unknown condition key 'gate:Countryy'</c>.
/// </summary>
/// <param name="File">The document's name as given to <see cref="PolicyDocument.Parse"/>, usually its path.</param>
/// <param name="Line">1-based line, or 0 when the mistake concerns the document as a whole.</param>
/// <param name="Statement">0-based index of the statement, or null when the mistake is outside every statement.</param>
/// <param name="Sid">The statement's <c>Sid</c>, when it has one.</param>
/// <param name="Field">
/// The field inside the statement (<c>Condition.StringEquals</c>), or inside the document when
/// <paramref name="Statement"/> is null (<c>Version</c>); empty when the document as a whole is wrong.
/// </param>
/// <param name="Message">What is wrong and, where it helps, what would be right.</param>
public sealed record PolicyError(string File, int Line, int? Statement, string? Sid, string Field, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}" : File;
        var statement = Statement is { } index
            ? Sid is null ? $": Statement[{index}]" : $": Statement[{index}] (Sid \"{Sid}\")"
            : "";
        var field = Field.Length > 0 ? $": {Field}" : "";
        return $"{where}{statement}{field}: {Message}";
    }
}

/// <summary>
/// Thrown by <see cref="PolicyDocument.Parse"/> for a document that cannot be used. It carries
/// every mistake found, not just the first, so that one round of editing fixes them all; the
/// message lists them one a line.
/// </summary>
public sealed class PolicyException(IReadOnlyList<PolicyError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    /// <summary>Every mistake found, in document order; never empty.</summary>
    public IReadOnlyList<PolicyError> Errors { get; } = errors;
}
