namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// A sanctions list could not be read: a file is malformed, cut short or unreadable, or a folder
/// does not hold what its names promise. The message names the file and, where one is at fault,
/// the line, e.g. <c>…/sdn.csv line 1042: expected 12 columns, found 7</c>. Nothing of a list
/// that fails is returned, so a half-read list never replaces a stored one.
/// </summary>
public sealed class SanctionsFormatException : Exception
{
    public SanctionsFormatException(string file, long line, string message, Exception? innerException = null)
        : base(line > 0 ? $"{file} line {line}: {message}" : $"{file}: {message}", innerException)
    {
        File = file;
        Line = line;
    }

    /// <summary>The file or folder at fault, as the path was given.</summary>
    public string File { get; }

    /// <summary>The 1-based line where the faulty record starts, or 0 when the file or folder as a whole is at fault.</summary>
    public long Line { get; }
}
