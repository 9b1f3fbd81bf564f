using Gatehouse.Engine.Configuration;

namespace Gatehouse.Host.Hosting;

/// <summary>The configuration in force. Readers take <see cref="Current"/> once per request and never lock.</summary>
internal sealed class ConfigurationState(GatewayConfiguration initial, TimeProvider timeProvider)
{
    private sealed record Loaded(GatewayConfiguration Configuration, DateTimeOffset At);

    private Loaded _current = new(initial, timeProvider.GetUtcNow());
    private string? _lastReloadError;

    public GatewayConfiguration Current => Volatile.Read(ref _current).Configuration;

    /// <summary>When the configuration in force was loaded.</summary>
    public DateTimeOffset LoadedAt => Volatile.Read(ref _current).At;

    /// <summary>Why the newest version of the file was rejected, or null when the file in force is the newest.</summary>
    public string? LastReloadError => Volatile.Read(ref _lastReloadError);

    /// <summary>Raised after a new configuration is in force, for parts that hold state derived from it.</summary>
    public event Action? Replaced;

    public void Replace(GatewayConfiguration configuration)
    {
        Volatile.Write(ref _current, new Loaded(configuration, timeProvider.GetUtcNow()));
        Volatile.Write(ref _lastReloadError, null);
        Replaced?.Invoke();
    }

    public void RecordRejectedReload(string reason) => Volatile.Write(ref _lastReloadError, reason);
}
