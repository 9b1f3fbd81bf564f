using Gatehouse.Engine.Geo;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// Reloads GeoIP data when one of its files is replaced or the configuration names other files.
/// A periodic check backs up the file watcher, which can miss events (network file systems, a
/// folder that did not exist yet); it costs one stat per file when nothing changed.
/// </summary>
internal sealed partial class GeoIpWatcher(GeoIpState geo, ConfigurationState configuration, ILogger<GeoIpWatcher> logger) : BackgroundService
{
    // Data files are large and copied in place over seconds; wait for writes to stop.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);

    /// <summary>Loads the configured data, logging instead of throwing: the gateway runs without it, failing closed.</summary>
    public static void LoadNow(GeoIpState geo, GeoIpSources sources, ILogger logger)
    {
        try
        {
            if (!geo.Load(sources))
            {
                return;
            }
            if (sources.IsEmpty)
            {
                LogNotConfigured(logger);
            }
            else
            {
                LogLoaded(logger, geo.Current.Data.RangeCount, string.Join("; ", geo.Current.Data.Sources));
            }
        }
        catch (GeoDataException e)
        {
            LogRejected(logger, e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changed = new SemaphoreSlim(0);
        var watchers = new Dictionary<string, FileSystemWatcher>(StringComparer.Ordinal);
        void Signal() => changed.Release();
        configuration.Replaced += Signal;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Watch(watchers, configuration.Current.Geo.Sources, Signal);
                if (await changed.WaitAsync(PollInterval, stoppingToken))
                {
                    await changed.SettleAsync(Settle, stoppingToken);
                }
                LoadNow(geo, configuration.Current.Geo.Sources, logger);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            configuration.Replaced -= Signal;
            foreach (var watcher in watchers.Values)
            {
                watcher.Dispose();
            }
        }
    }

    /// <summary>One watcher per folder holding a source file; replacing a file by rename shows up as an event in its folder.</summary>
    private static void Watch(Dictionary<string, FileSystemWatcher> watchers, GeoIpSources sources, Action signal)
    {
        var folders = sources.Files.Select(f => Path.GetDirectoryName(f)!).Where(Directory.Exists).ToHashSet(StringComparer.Ordinal);
        foreach (var folder in watchers.Keys.Except(folders).ToList())
        {
            watchers.Remove(folder, out var stale);
            stale!.Dispose();
        }
        foreach (var folder in folders.Where(f => !watchers.ContainsKey(f)))
        {
            watchers.Add(folder, FileChangeSignal.Watch(folder, "*", signal));
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "GeoIP data loaded: {RangeCount} ranges from {Sources}")]
    private static partial void LogLoaded(ILogger logger, int rangeCount, string sources);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "GeoIP data rejected; the data already in force stays (none at start: restricted models are refused). {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "No GeoIP data is configured (geo.databases): every caller's location is unknown, so restricted models are refused")]
    private static partial void LogNotConfigured(ILogger logger);
}
