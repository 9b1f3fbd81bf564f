using System.Text;
using System.Xml;

namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// A file that may belong to a list, with what formats recognise it by: its name, its first line
/// and, for XML, its root element. Both are read on first use, from the first few kilobytes only.
/// </summary>
internal sealed class CandidateFile(string path)
{
    private const int SniffBytes = 4096;

    private string? _firstLine;
    private string? _xmlRoot;
    private bool _xmlRootRead;

    public string Path { get; } = path;

    public string Name { get; } = System.IO.Path.GetFileName(path);

    public long Length { get; } = new FileInfo(path).Length;

    public bool HasExtension(string extension) => Name.EndsWith(extension, StringComparison.OrdinalIgnoreCase);

    public bool IsNamed(string name) => Name.Equals(name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the first line starts with <paramref name="columns"/>, with any quotes around the names taken off.</summary>
    public bool HasHeader(string columns) => FirstLine.Replace("\"", "", StringComparison.Ordinal).StartsWith(columns, StringComparison.Ordinal);

    /// <summary>The first line without its line break and byte order mark; empty for an empty or binary file.</summary>
    public string FirstLine => _firstLine ??= ReadFirstLine();

    /// <summary>The local name of the root element, or null when the file is not XML.</summary>
    public string? XmlRoot
    {
        get
        {
            if (!_xmlRootRead)
            {
                _xmlRoot = ReadXmlRoot();
                _xmlRootRead = true;
            }
            return _xmlRoot;
        }
    }

    private string ReadFirstLine()
    {
        var buffer = new byte[SniffBytes];
        int count;
        using (var stream = File.OpenRead(Path))
        {
            count = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        var text = buffer.AsSpan(0, count);
        if (text.StartsWith("\uFEFF"u8))
        {
            text = text[3..];
        }
        var end = text.IndexOfAny((byte)'\r', (byte)'\n');
        var line = end < 0 ? text : text[..end];
        return line.Contains((byte)0) ? "" : Encoding.UTF8.GetString(line);
    }

    private string? ReadXmlRoot()
    {
        if (!FirstLine.TrimStart().StartsWith('<'))
        {
            return null;
        }
        try
        {
            using var reader = XmlReader.Create(Path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return reader.MoveToContent() == XmlNodeType.Element ? reader.LocalName : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
