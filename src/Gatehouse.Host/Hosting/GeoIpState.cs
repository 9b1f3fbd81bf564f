using System.Net;
using Gatehouse.Engine.Geo;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// The GeoIP data in force. A load builds a complete new generation and swaps it in; a failed
/// load leaves the previous generation answering and records why, for <c>/readyz</c> and the log.
/// </summary>
internal sealed class GeoIpState(TimeProvider timeProvider) : IGeoLocator
{
    // A configuration reload, or another gateway in the same process, usually names the same
    // files; building the tables takes seconds, so recent builds are kept while their files are
    // unchanged. A handful covers every real deployment.
    private const int CachedGenerations = 4;
    private static readonly Lock CacheLock = new();
    private static readonly List<Generation> s_recent = [];

    private Generation _current = new(GeoIpSources.None, [], GeoIpData.Empty, null);
    private string? _problem;

    public GeoLocation Locate(IPAddress address) => Volatile.Read(ref _current).Data.Locate(address);

    public Generation Current => Volatile.Read(ref _current);

    /// <summary>Why the data in force is not what the configured files hold, or null when it is.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    /// <summary>Loads the sources unless the data in force was loaded from these very files.</summary>
    /// <returns>True when new data was swapped in, the first load always.</returns>
    /// <exception cref="GeoDataException">A source is missing or unreadable; the previous data stays in force.</exception>
    public bool Load(GeoIpSources sources)
    {
        var stamps = FileStamp.Of(sources.Files);
        if (Current is { LoadedAt: not null } current && current.IsBuiltFrom(sources, stamps) && Problem is null)
        {
            return false;
        }
        try
        {
            var generation = CachedOrBuild(sources, stamps);
            Volatile.Write(ref _current, generation);
            Volatile.Write(ref _problem, null);
            return true;
        }
        catch (GeoDataException e)
        {
            Volatile.Write(ref _problem, e.Message);
            throw;
        }
    }

    private Generation CachedOrBuild(GeoIpSources sources, IReadOnlyList<FileStamp> stamps)
    {
        lock (CacheLock)
        {
            if (s_recent.Find(g => g.IsBuiltFrom(sources, stamps)) is { } cached)
            {
                return cached;
            }
        }
        var missing = sources.Files.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            throw new GeoDataException($"{string.Join(", ", missing)}: no such file");
        }
        var generation = new Generation(sources, stamps, GeoIpLoader.Load(sources), timeProvider.GetUtcNow());
        // Building the tables leaves several hundred megabytes of garbage (a decoded record per
        // database network) that the server GC would otherwise keep committed for a long time.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        lock (CacheLock)
        {
            s_recent.RemoveAll(g => g.Sources.Equals(sources));
            if (s_recent.Count == CachedGenerations)
            {
                s_recent.RemoveAt(0);
            }
            s_recent.Add(generation);
        }
        return generation;
    }

    /// <summary>One loaded set of files and what was built from them.</summary>
    internal sealed record Generation(GeoIpSources Sources, IReadOnlyList<FileStamp> Stamps, GeoIpData Data, DateTimeOffset? LoadedAt)
    {
        public bool IsBuiltFrom(GeoIpSources sources, IReadOnlyList<FileStamp> stamps) =>
            Sources.Equals(sources) && Stamps.SequenceEqual(stamps);
    }

    /// <summary>Enough of a file's identity to notice it was replaced or rewritten.</summary>
    internal readonly record struct FileStamp(string Path, long Length, DateTime LastWrite)
    {
        public static IReadOnlyList<FileStamp> Of(IEnumerable<string> paths) =>
        [
            .. paths.Select(path => new FileInfo(path) is { Exists: true } file
                ? new FileStamp(path, file.Length, file.LastWriteTimeUtc)
                : new FileStamp(path, -1, default)),
        ];
    }
}
