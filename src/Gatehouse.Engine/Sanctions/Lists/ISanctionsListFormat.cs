namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// One published list format: how to spot its files among a folder's and how to read them into a
/// <see cref="SanctionsList"/>. Each format is registered once, under its <see cref="Source"/>, in
/// <see cref="SanctionsListFormats"/>.
/// </summary>
internal interface ISanctionsListFormat
{
    /// <summary>The <see cref="SanctionsEntry.Source"/> of what it reads (see <see cref="SanctionsSources"/>).</summary>
    string Source { get; }

    /// <summary>
    /// The lists this format finds among <paramref name="files"/> (one folder's, or a single file),
    /// each with its main file first; empty when none is there. Throws when files of the format are
    /// there but cannot make a list, such as an <c>alt.csv</c> without its <c>sdn.csv</c>.
    /// </summary>
    IEnumerable<ListFiles> Find(IReadOnlyList<CandidateFile> files);

    SanctionsList Read(ListFiles list, ReadProgress progress);
}

/// <summary>The files of one list: the main one first, then those joined to it.</summary>
internal sealed record ListFiles(ISanctionsListFormat Format, IReadOnlyList<CandidateFile> Files)
{
    public CandidateFile Main => Files[0];

    public CandidateFile? Named(string name) => Files.FirstOrDefault(file => file.IsNamed(name));

    /// <summary>The file names without their folder: the version record says which files, not where they lay on the importing machine.</summary>
    public IReadOnlyList<string> Names => [.. Files.Select(file => Path.GetFileName(file.Path))];

    /// <summary>A list in each file that <paramref name="isList"/> picks, for the formats that are one file each.</summary>
    public static IEnumerable<ListFiles> OnePerFile(ISanctionsListFormat format, IEnumerable<CandidateFile> files, Func<CandidateFile, bool> isList) =>
        files.Where(isList).Select(file => new ListFiles(format, [file]));
}
