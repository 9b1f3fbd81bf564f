using Gatehouse.Engine.Sanctions.Lists;

namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// Reads the sanctions lists as their publishers put them out: OFAC's legacy CSV files (SDN and
/// consolidated), trade.gov's Consolidated Screening List, the UN Security Council's XML and the
/// BIS Denied Persons List. Each list is recognised by its file names and contents, not told.
/// </summary>
public static class SanctionsFiles
{
    private const string Expected =
        "sdn.csv or cons_prim.csv (with their alt, add and comments files), a trade.gov Consolidated Screening List CSV, " +
        "the UN consolidated list XML, or the BIS dpl.txt";

    /// <summary>
    /// Reads every list in a folder (its own files only, not its sub-folders), or the list in one
    /// file; a lone <c>sdn.csv</c> is read without the alt.csv and add.csv beside it, which only a
    /// folder brings in. Files that belong to no list, such as a README, are passed over; a folder
    /// with no list, with two versions of one list, or with the joined files of a list but not its
    /// main file is refused. Nothing is returned unless every list reads whole.
    /// </summary>
    /// <param name="progress">Told the fraction of input bytes read, a step at a time, ending with exactly 1.</param>
    /// <exception cref="SanctionsFormatException">A file is malformed or unreadable, or the folder's files make no list.</exception>
    public static IReadOnlyList<SanctionsList> Read(string path, IProgress<double>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            var lists = Find(path, Candidates(path));
            var reading = new ReadProgress(lists.Sum(list => list.Files.Sum(file => file.Length)), progress);
            var read = lists.Select(list => list.Format.Read(list, reading)).ToList();
            reading.Complete();
            return read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SanctionsFormatException(path, 0, $"cannot be read: {e.Message}", e);
        }
    }

    private static List<CandidateFile> Candidates(string path)
    {
        if (Directory.Exists(path))
        {
            return [.. Directory.EnumerateFiles(path).Order(StringComparer.Ordinal).Select(file => new CandidateFile(file))];
        }
        return File.Exists(path)
            ? [new CandidateFile(path)]
            : throw new SanctionsFormatException(path, 0, "no such file or folder");
    }

    private static List<ListFiles> Find(string path, List<CandidateFile> candidates)
    {
        var lists = SanctionsListFormats.All.SelectMany(format => format.Find(candidates)).ToList();
        var claimedTwice = lists
            .SelectMany(list => list.Files.Select(file => (file.Path, list.Format.Source)))
            .GroupBy(claim => claim.Path)
            .FirstOrDefault(claims => claims.Count() > 1);
        if (claimedTwice is not null)
        {
            throw new SanctionsFormatException(claimedTwice.Key, 0,
                $"looks like a file of more than one list ({string.Join(" and ", claimedTwice.Select(claim => claim.Source))})");
        }
        var twoOfOne = lists.GroupBy(list => list.Format.Source).FirstOrDefault(group => group.Count() > 1);
        if (twoOfOne is not null)
        {
            throw new SanctionsFormatException(path, 0,
                $"holds {twoOfOne.Count()} {twoOfOne.Key} lists ({string.Join(", ", twoOfOne.Select(list => list.Main.Name))}); " +
                "give each version a folder of its own, or name the file to read");
        }
        if (lists.Count == 0)
        {
            throw new SanctionsFormatException(path, 0, Directory.Exists(path)
                ? $"holds no sanctions list Gatehouse reads; expected {Expected}"
                : $"is not a sanctions list Gatehouse reads; expected {Expected}");
        }
        return lists;
    }
}
