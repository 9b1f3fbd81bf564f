using Gatehouse.Engine.Configuration;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// Reloads gatehouse.yaml when it changes. A valid file replaces the configuration whole; an
/// invalid one is rejected whole, the old configuration stays, and the reasons are logged.
/// </summary>
internal sealed partial class ConfigurationWatcher(ConfigurationState state, GatewayEnvironment environment, ILogger<ConfigurationWatcher> logger) : BackgroundService
{
    // Editors save in several steps (truncate, write, rename); wait for the burst to end.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = state.Current.SourcePath;
        using var changed = new SemaphoreSlim(0);
        using var watcher = FileChangeSignal.Watch(Path.GetDirectoryName(path)!, Path.GetFileName(path), () => changed.Release());

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await changed.WaitAsync(stoppingToken);
                await changed.SettleAsync(Settle, stoppingToken);
                Reload(path);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Reload(string path)
    {
        if (!File.Exists(path))
        {
            // A rename-into-place shows up as a delete first; the create that follows reloads.
            return;
        }
        var result = ConfigurationLoader.Load(path, environment.Read);
        if (!result.Succeeded)
        {
            var reasons = string.Join("; ", result.Errors);
            state.RecordRejectedReload(reasons);
            LogReloadRejected(path, reasons);
            return;
        }
        var previous = state.Current;
        var next = result.Configuration!;
        if (!next.DataPlaneListeners.SequenceEqual(previous.DataPlaneListeners) ||
            !next.AdminListeners.SequenceEqual(previous.AdminListeners) ||
            next.Storage != previous.Storage ||
            next.Redis != previous.Redis ||
            next.Observability != previous.Observability)
        {
            LogRestartNeeded(path);
        }
        state.Replace(next);
        LogReloaded(path, next.Models.All.Count);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Configuration {Path} reloaded: {ModelCount} models")]
    private partial void LogReloaded(string path, int modelCount);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Configuration {Path} was changed but is invalid; the previous configuration stays in force. {Reasons}")]
    private partial void LogReloadRejected(string path, string reasons);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Configuration {Path} changes listeners, storage, redis or observability; those take effect at the next restart")]
    private partial void LogRestartNeeded(string path);
}
