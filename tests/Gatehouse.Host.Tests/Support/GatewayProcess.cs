using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace Gatehouse.Host.Tests.Support;

/// <summary>
/// A gateway running as its own process (<c>gatehouse serve --config</c>), as operators run it:
/// for what one process in the test host cannot show — several nodes sharing a store, a kill.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process, Uri dataPlane, Uri admin)
    {
        _process = process;
        DataPlaneUrl = dataPlane;
        AdminUrl = admin;
    }

    public Uri DataPlaneUrl { get; }
    public Uri AdminUrl { get; }

    /// <summary>The admin API with the token, once <see cref="AuthorizeAsync"/> has read it.</summary>
    public HttpClient Admin { get; } = new();

    /// <summary>The data plane, as a proxy on 127.0.0.1 reaches it (the tests' configurations trust that address).</summary>
    public HttpClient Data { get; } = new();

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Output => string.Join('\n', _output.TakeLast(40));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the gateway on <paramref name="configPath"/> and waits until <c>/readyz</c> says it is ready.</summary>
    public static async Task<GatewayProcess> StartAsync(string configPath, int dataPort, int adminPort, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "gatehouse.dll"), "serve", "--config", configPath })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment[GatewayInstance.UpstreamKeyVariable] = GatewayInstance.UpstreamKey;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var gateway = new GatewayProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{dataPort}"), new Uri($"http://127.0.0.1:{adminPort}"));
        gateway.Admin.BaseAddress = gateway.AdminUrl;
        gateway.Data.BaseAddress = gateway.DataPlaneUrl;
        gateway._process.OutputDataReceived += (_, e) => gateway.Keep(e.Data);
        gateway._process.ErrorDataReceived += (_, e) => gateway.Keep(e.Data);
        gateway._process.BeginOutputReadLine();
        gateway._process.BeginErrorReadLine();
        await gateway.WaitUntilReadyAsync();
        return gateway;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    public async Task WaitUntilReadyAsync()
    {
        using var probe = new HttpClient { BaseAddress = AdminUrl };
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(_process.HasExited, $"the gateway exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");
            try
            {
                return (await probe.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, seconds: 60);
    }

    /// <summary>Reads the admin token from <paramref name="tokenFile"/> (the first gateway on a store writes it) into <see cref="Admin"/>.</summary>
    public async Task AuthorizeAsync(string tokenFile) =>
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(tokenFile)).Trim());

    public async Task<T> PostAsync<TRequest, T>(string path, TRequest body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var response = await Admin.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync(type))!;
    }

    /// <summary>SIGKILL: no clean stop, nothing flushed.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        Admin.Dispose();
        Data.Dispose();
        _process.Dispose();
    }
}
