using Gatehouse.Engine.Configuration;

namespace Gatehouse.Host.Hosting;

/// <summary>The configuration in force. Readers take <see cref="Current"/> once per request and never lock.</summary>
internal sealed class ConfigurationState(GatewayConfiguration initial)
{
    private GatewayConfiguration _current = initial;
    private string? _lastReloadError;

    public GatewayConfiguration Current => Volatile.Read(ref _current);

    /// <summary>Why the newest version of the file was rejected, or null when the file in force is the newest.</summary>
    public string? LastReloadError => Volatile.Read(ref _lastReloadError);

    /// <summary>Raised after a new configuration is in force, for parts that hold state derived from it.</summary>
    public event Action? Replaced;

    public void Replace(GatewayConfiguration configuration)
    {
        Volatile.Write(ref _current, configuration);
        Volatile.Write(ref _lastReloadError, null);
        Replaced?.Invoke();
    }

    public void RecordRejectedReload(string reason) => Volatile.Write(ref _lastReloadError, reason);
}
