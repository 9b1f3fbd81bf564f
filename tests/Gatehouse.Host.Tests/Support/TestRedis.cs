using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Host.Tests.Support;

/// <summary>
/// The Redis server that <see cref="Variable"/> names (<c>host:port</c>). Without it a test that
/// needs Redis fails rather than skips, as the PostgreSQL tests do: ./test.sh starts a throwaway
/// server. Tests keep apart by key prefix, never by flushing what others may be using.
/// </summary>
internal static class TestRedis
{
    public const string Variable = "GATEHOUSE_TEST_REDIS";

    public static string Server
    {
        get
        {
            var server = Environment.GetEnvironmentVariable(Variable);
            return string.IsNullOrWhiteSpace(server)
                ? throw new InvalidOperationException(
                    $"{Variable} is not set. Run ./test.sh, which starts a throwaway Redis (apt-get install redis-server), or set it to host:port of a Redis these tests may write to.")
                : server;
        }
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => $"gatehouse-test:{Guid.NewGuid():n}:";

    /// <summary>The <c>redis</c> section of a gateway configuration.</summary>
    public static string Section(string server, string prefix, string onUnavailable = "refuseRestricted") => $$"""
        redis:
          configuration: "{{server}}"
          keyPrefix: "{{prefix}}"
          onUnavailable: {{onUnavailable}}
        """;

    /// <summary>A loopback port nothing listens on (for a moment at least): Redis configured there is unreachable.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// A redis-server of a test's own, on a loopback port, without persistence: stopped to make Redis
/// unreachable and started again on the same port to bring it back.
/// </summary>
internal sealed class DedicatedRedis : IAsyncDisposable
{
    private Process? _process;

    private readonly string? _password;

    private DedicatedRedis(int port, string? password)
    {
        Port = port;
        _password = password;
    }

    public int Port { get; }

    public string Server => $"127.0.0.1:{Port}";

    /// <param name="password">What clients must authenticate with; none when omitted.</param>
    public static async Task<DedicatedRedis> StartAsync(string? password = null)
    {
        var redis = new DedicatedRedis(TestRedis.ClosedPort(), password);
        await redis.StartAgainAsync();
        return redis;
    }

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
        };
        if (_password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(_password);
        }
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server could not be started; install it (Debian: apt-get install redis-server) or run ./test.sh, which does.", e);
        }
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        await Eventually.TrueAsync(async () =>
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, seconds: 10);
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
