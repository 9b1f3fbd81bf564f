using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Observability;
using Gatehouse.Host.Hosting;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Gatehouse.Host.Counters;

/// <summary>
/// The process's one connection to the Redis that holds the counters the nodes share, and
/// whether it can be used now. It is unreachable from a broken connection or a failed or
/// timed-out operation until the connection is restored or an operation succeeds; meanwhile
/// the request path counts in this process at once instead of waiting on Redis, and only the
/// spend sync (every <see cref="Usage.SharedSpend.SyncInterval"/>) keeps asking it. Without a
/// <c>redis</c> section there is no connection and the counters are <see cref="CounterSharing.Local"/>.
/// </summary>
internal sealed partial class SharedCounters(GatewayConfiguration configuration, GatewayEnvironment environment, GatehouseMetrics metrics, TimeProvider timeProvider,
    ILogger<SharedCounters> logger) : ISharedCounters, IAsyncDisposable
{
    private readonly RedisSettings? _settings = configuration.Redis;
    private readonly Lock _stateLock = new();
    private ConnectionMultiplexer? _connection;
    private IDatabase? _database;
    private volatile Outage? _outage;

    /// <summary>Since when Redis has been unreachable, and why (a failure type, never a message that could carry the configuration).</summary>
    internal sealed record Outage(DateTimeOffset Since, string Reason);

    public bool IsConfigured => _settings is not null;

    public CounterSharing Sharing => _settings is null ? CounterSharing.Local : _outage is null ? CounterSharing.Shared : CounterSharing.Unreachable;

    public CountersUnavailableAction OnUnavailable => _settings?.OnUnavailable ?? CountersUnavailableAction.RefuseRestricted;

    /// <summary>Null while Redis answers (or is not configured).</summary>
    public Outage? CurrentOutage => _outage;

    /// <summary>The servers, as the configuration names them; never the password.</summary>
    public string Servers => _settings is null ? "" : string.Join(", ", _settings.Servers);

    /// <summary>The database, every key under <c>redis.keyPrefix</c>. Only with a <c>redis</c> section, once connected.</summary>
    public IDatabase Database => _database ?? throw new InvalidOperationException("Redis is not configured");

    /// <summary>
    /// Connects, or starts trying to: the gateway starts while Redis is down (the counters are
    /// then unreachable) and the connection is made whenever Redis answers. Waits at most
    /// <c>redis.timeout</c>.
    /// </summary>
    /// <exception cref="ConfigurationException">StackExchange.Redis does not accept the configuration string.</exception>
    public async Task ConnectAsync()
    {
        if (_settings is null)
        {
            return;
        }
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(_settings.Configuration);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException([new ConfigurationError(configuration.SourcePath, 0, "redis.configuration", $"is not a StackExchange.Redis configuration string: {e.Message}")]);
        }
        if (_settings.PasswordVariable is { } variable)
        {
            options.Password = environment.Read(variable);
        }
        var timeout = (int)_settings.Timeout.TotalMilliseconds;
        options.AbortOnConnectFail = false;
        // Commands sent while the connection is down fail at once rather than queue: a request counts locally instead of waiting.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = timeout;
        options.SyncTimeout = timeout;
        options.AsyncTimeout = timeout;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(timeout);
        options.ClientName ??= "gatehouse";
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
        _database = _connection.GetDatabase().WithKeyPrefix(_settings.KeyPrefix);
        _connection.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                Unreachable(e.FailureType.ToString());
            }
        };
        _connection.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                Reachable();
            }
        };
        if (_connection.IsConnected)
        {
            LogConnected(Servers);
        }
        else
        {
            Unreachable("no connection at start");
        }
        metrics.ObserveRedisReachable(() => _outage is null);
    }

    /// <summary>
    /// Runs a script on Redis when it is usable; null when it is not or the script fails, and the
    /// caller then counts in this process.
    /// </summary>
    public async Task<RedisResult?> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] values)
    {
        if (Sharing != CounterSharing.Shared)
        {
            return null;
        }
        try
        {
            return await Database.ScriptEvaluateAsync(script, keys, values);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Failed(e);
            return null;
        }
    }

    /// <summary>Whether an exception says Redis did not do what was asked: refused, timed out, or gone.</summary>
    public static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException;

    /// <summary>An operation failed: Redis counts as unreachable until one succeeds.</summary>
    public void Failed(Exception e) => Unreachable(e switch
    {
        RedisConnectionException connection => connection.FailureType.ToString(),
        TimeoutException => "Timeout",
        RedisServerException server => $"server error: {server.Message}",
        _ => e.GetType().Name,
    });

    /// <summary>An operation succeeded: Redis is reachable.</summary>
    public void Succeeded()
    {
        if (_outage is not null)
        {
            Reachable();
        }
    }

    private void Unreachable(string reason)
    {
        metrics.RecordRedisFailure();
        lock (_stateLock)
        {
            if (_outage is not null)
            {
                return;
            }
            _outage = new Outage(timeProvider.GetUtcNow(), reason);
        }
        LogUnreachable(Servers, reason, RedisSettings.NameOf(OnUnavailable));
    }

    private void Reachable()
    {
        Outage? ended;
        lock (_stateLock)
        {
            ended = _outage;
            _outage = null;
        }
        if (ended is not null)
        {
            LogReachable(Servers, ended.Since);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Counters are shared through Redis at {Servers}")]
    private partial void LogConnected(string servers);

    [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Redis at {Servers} is unreachable ({Reason}); counting in this process, onUnavailable: {Action}")]
    private partial void LogUnreachable(string servers, string reason, string action);

    [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Redis at {Servers} is reachable again (unreachable since {Since:u}); counters are shared")]
    private partial void LogReachable(string servers, DateTimeOffset since);
}
