namespace Gatehouse.Host.Hosting;

/// <summary>What the configuration and GeoIP watchers share: watching a folder, and waiting out a burst of changes.</summary>
internal static class FileChangeSignal
{
    /// <summary>A watcher that calls <paramref name="signal"/> on any write, creation, deletion or rename of matching files.</summary>
    public static FileSystemWatcher Watch(string folder, string filter, Action signal)
    {
        var watcher = new FileSystemWatcher(folder, filter)
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => signal();
        watcher.Created += (_, _) => signal();
        watcher.Deleted += (_, _) => signal();
        watcher.Renamed += (_, _) => signal();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    /// <summary>
    /// After a first signal, waits until the signals stop for <paramref name="settle"/> and takes them
    /// all: editors and copy tools write a file in several steps, and one reload should follow.
    /// </summary>
    public static async Task SettleAsync(this SemaphoreSlim changed, TimeSpan settle, CancellationToken cancellationToken)
    {
        await Task.Delay(settle, cancellationToken);
        while (changed.CurrentCount > 0)
        {
            await changed.WaitAsync(cancellationToken);
        }
    }
}
