using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Engine.Configuration;

/// <summary>
/// Where each field of a YAML document starts, by field path (<c>models[0].aliases[1]</c>), so
/// that validation, which runs on the bound objects, can still point at a line.
/// </summary>
internal sealed class YamlLineMap
{
    private readonly Dictionary<string, Mark> _marks = new(StringComparer.Ordinal);

    public static YamlLineMap Build(string yaml)
    {
        var map = new YamlLineMap();
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count > 0)
        {
            map.Walk(stream.Documents[0].RootNode, "");
        }
        return map;
    }

    /// <summary>The line of the field, or of its nearest enclosing field that is written down; 0 if none.</summary>
    public int LineOf(string path)
    {
        while (true)
        {
            if (_marks.TryGetValue(path, out var mark))
            {
                return (int)mark.Line;
            }
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return 0;
            }
            path = path[..cut];
        }
    }

    /// <summary>
    /// The field at a position, for errors raised by the YAML binder: the field whose key starts
    /// there, or else the right-most field on that line before it (the value's own key).
    /// </summary>
    public string? PathAt(Mark position)
    {
        string? best = null;
        var bestColumn = -1L;
        foreach (var (path, mark) in _marks)
        {
            if (mark.Line == position.Line && mark.Column <= position.Column && mark.Column > bestColumn)
            {
                best = path;
                bestColumn = mark.Column;
            }
        }
        return best;
    }

    private void Walk(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : "?";
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    _marks.TryAdd(childPath, key.Start);
                    Walk(value, childPath);
                }
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var childPath = $"{path}[{i}]";
                    _marks.TryAdd(childPath, sequence.Children[i].Start);
                    Walk(sequence.Children[i], childPath);
                }
                break;
        }
    }
}
