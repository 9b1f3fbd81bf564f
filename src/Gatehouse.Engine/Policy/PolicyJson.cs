using System.Text;
using System.Text.Json;

namespace Gatehouse.Engine.Policy;

internal enum PolicyJsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// A JSON value with the line it starts on. <see cref="JsonDocument"/> does not say where an
/// element is, and a policy error that names a line is found in seconds, so policies are read
/// into this small tree instead. Object members keep their order and their duplicates: the
/// parser, which knows the context, reports a field written twice.
/// </summary>
internal sealed class PolicyJson
{
    private PolicyJson(PolicyJsonKind kind, int line, string? text, List<PolicyJsonMember>? members, List<PolicyJson>? items)
    {
        Kind = kind;
        Line = line;
        Text = text;
        Members = members ?? [];
        Items = items ?? [];
    }

    public PolicyJsonKind Kind { get; }

    /// <summary>1-based line of the value's first character.</summary>
    public int Line { get; }

    /// <summary>A string's value, a number's text as written, or <c>true</c>/<c>false</c>; null otherwise.</summary>
    public string? Text { get; }

    public IReadOnlyList<PolicyJsonMember> Members { get; }

    public IReadOnlyList<PolicyJson> Items { get; }

    /// <summary>A string, number or Boolean: what a condition value or a pattern may be written as.</summary>
    public bool IsScalar => Kind is PolicyJsonKind.String or PolicyJsonKind.Number or PolicyJsonKind.True or PolicyJsonKind.False;

    /// <summary>"a string", "an array", …: for messages that say what was found instead.</summary>
    public string Description => Kind switch
    {
        PolicyJsonKind.Object => "an object",
        PolicyJsonKind.Array => "an array",
        PolicyJsonKind.String => "a string",
        PolicyJsonKind.Number => "a number",
        PolicyJsonKind.Null => "null",
        _ => "a Boolean",
    };

    /// <summary>Reads one JSON value (strict: no comments, no trailing commas) and nothing after it.</summary>
    /// <exception cref="JsonException">The text is not JSON; <see cref="JsonException.LineNumber"/> is 0-based.</exception>
    public static PolicyJson Read(string json)
    {
        // A byte-order mark is not JSON, but editors write one; File.ReadAllText keeps it in some cases.
        var bytes = Encoding.UTF8.GetBytes(json.StartsWith('\uFEFF') ? json[1..] : json);
        var lineStarts = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read())
        {
            throw new JsonException("the document is empty", null, 0, 0);
        }
        var root = ReadValue(ref reader, lineStarts);
        if (reader.Read())
        {
            // Utf8JsonReader itself rejects a second value; this is a guard should it not.
            throw new JsonException("text after the end of the document", null, LineOf(lineStarts, reader.TokenStartIndex) - 1, 0);
        }
        return root;
    }

    private static PolicyJson ReadValue(ref Utf8JsonReader reader, int[] lineStarts)
    {
        var line = LineOf(lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new List<PolicyJsonMember>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    var nameLine = LineOf(lineStarts, reader.TokenStartIndex);
                    reader.Read();
                    members.Add(new PolicyJsonMember(name, nameLine, ReadValue(ref reader, lineStarts)));
                }
                return new PolicyJson(PolicyJsonKind.Object, line, null, members, null);
            case JsonTokenType.StartArray:
                var items = new List<PolicyJson>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, lineStarts));
                }
                return new PolicyJson(PolicyJsonKind.Array, line, null, null, items);
            case JsonTokenType.String:
                return new PolicyJson(PolicyJsonKind.String, line, reader.GetString(), null, null);
            case JsonTokenType.Number:
                return new PolicyJson(PolicyJsonKind.Number, line, Encoding.UTF8.GetString(reader.ValueSpan), null, null);
            case JsonTokenType.True:
                return new PolicyJson(PolicyJsonKind.True, line, "true", null, null);
            case JsonTokenType.False:
                return new PolicyJson(PolicyJsonKind.False, line, "false", null, null);
            default:
                return new PolicyJson(PolicyJsonKind.Null, line, null, null, null);
        }
    }

    private static int[] LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }
        return [.. starts];
    }

    private static int LineOf(int[] lineStarts, long offset)
    {
        var index = Array.BinarySearch(lineStarts, (int)offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }
}

/// <summary>One member of a JSON object: its name, the line the name is on, and its value.</summary>
internal sealed record PolicyJsonMember(string Name, int Line, PolicyJson Value);
