namespace Gatehouse.Engine.Policy;

/// <summary>
/// One policy document, parsed and checked, its statements compiled: the unit a file holds and
/// that is attached to the gateway or to an organisation. Immutable; one document may belong to
/// any number of <see cref="PolicySet"/>s.
/// </summary>
/// <remarks>
/// The form is that of service-control policies:
/// <c>{"Version": "2012-10-17", "Statement": [{"Sid": …, "Effect": "Allow" | "Deny",
/// "Action" | "NotAction": …, "Resource" | "NotResource": …, "Condition": {…}}]}</c>, with
/// <c>Version</c> optional and a single statement object allowed in place of the list. Field and
/// operator names are case-sensitive; condition key names are not. Actions are
/// <c>service:Name</c> (<c>model:Invoke</c>, <c>endpoint:Create</c>; others of that shape are
/// accepted), resources <c>model/&lt;model-id&gt;</c> and <c>endpoint/&lt;region&gt;/&lt;model-id&gt;</c>;
/// both take the wildcards <c>*</c> (any run of characters, <c>/</c> included) and <c>?</c>.
/// </remarks>
public sealed class PolicyDocument
{
    private readonly PolicyStatement[] _statements;

    private PolicyDocument(string name, PolicyStatement[] statements)
    {
        Name = name;
        _statements = statements;
    }

    /// <summary>The name given to <see cref="Parse"/> (usually the file's path): evaluations and errors name it.</summary>
    public string Name { get; }

    public int StatementCount => _statements.Length;

    internal IReadOnlyList<PolicyStatement> Statements => _statements;

    /// <summary>
    /// Parses and compiles a document. Unknown fields, operators and condition keys, values of the
    /// wrong type, malformed actions and resources, and operators applied to keys of another type
    /// are all refused: a typo must not become a condition that silently never matches.
    /// </summary>
    /// <param name="json">The document's text.</param>
    /// <param name="name">Its name, usually the file's path, used in errors and in evaluation results.</param>
    /// <exception cref="PolicyException">
    /// The document has mistakes. It lists every one found (not only the first), each naming the
    /// file, the line, the statement (index and Sid) and the field; malformed JSON stops at the
    /// first syntax error.
    /// </exception>
    public static PolicyDocument Parse(string json, string name)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(name);
        return new PolicyDocument(name, PolicyParser.Parse(json, name));
    }

    public override string ToString() => $"{Name} ({StatementCount} statements)";
}
