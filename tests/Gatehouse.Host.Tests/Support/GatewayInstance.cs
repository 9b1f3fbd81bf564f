using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.Http.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestUpstream;

namespace Gatehouse.Host.Tests.Support;

/// <summary>
/// A real gateway on loopback ports in front of a stub upstream, with its own temporary folder,
/// database and configuration file, and one organisation, account and API key ready to use.
/// </summary>
internal sealed class GatewayInstance : IAsyncDisposable
{
    public const string UpstreamKeyVariable = "STUB_UPSTREAM_KEY";
    public const string UpstreamKey = "sk-upstream-secret-0123456789";

    private readonly WebApplication _app;

    private GatewayInstance(WebApplication app, StubUpstream upstream, string directory, string configPath)
    {
        _app = app;
        Upstream = upstream;
        Directory = directory;
        ConfigPath = configPath;
        var listeners = app.Services.GetRequiredService<BoundListeners>();
        DataPlaneUrl = new Uri($"http://127.0.0.1:{listeners.EndPoints(Plane.DataPlane)[0].Port}");
        AdminUrl = new Uri($"http://127.0.0.1:{listeners.EndPoints(Plane.Admin)[0].Port}");
        AdminToken = File.ReadAllText(Path.Combine(directory, GatehouseServer.AdminTokenFileName)).Trim();
        Admin = new HttpClient { BaseAddress = AdminUrl };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        Client = new HttpClient { BaseAddress = DataPlaneUrl };
    }

    public StubUpstream Upstream { get; }
    public string Directory { get; }
    public string ConfigPath { get; }
    public Uri DataPlaneUrl { get; }
    public Uri AdminUrl { get; }
    public string AdminToken { get; }
    public string ApiKey { get; private set; } = "";
    public string ApiKeyId { get; private set; } = "";
    public string AccountId { get; private set; } = "";

    /// <summary>Authenticated for the admin API.</summary>
    public HttpClient Admin { get; }

    /// <summary>For the data plane; no credentials set.</summary>
    public HttpClient Client { get; }

    private HttpClient? _viaTrustedProxy;

    /// <summary>
    /// For the data plane from 127.0.0.2, the trusted proxy of <see cref="BehindTrustedProxy"/>,
    /// so that X-Forwarded-For places the caller; disposed with the instance.
    /// </summary>
    public HttpClient ViaTrustedProxy => _viaTrustedProxy ??= ClientFrom("127.0.0.2");

    public IServiceProvider Services => _app.Services;

    /// <param name="configYaml">Builds the configuration from the stub's base URL.</param>
    /// <param name="services">More registrations, after the gateway's own.</param>
    /// <param name="logging">Replaces the default, warnings and worse.</param>
    /// <param name="variables">Environment variables the gateway reads besides the stub's upstream key.</param>
    public static async Task<GatewayInstance> StartAsync(Func<Uri, string> configYaml, Action<IServiceCollection>? services = null, Action<ILoggingBuilder>? logging = null,
        IReadOnlyDictionary<string, string>? variables = null)
    {
        var upstream = await StubUpstream.StartAsync(UpstreamKey);
        var directory = Path.Combine(Path.GetTempPath(), "gatehouse-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "gatehouse.yaml");
        await File.WriteAllTextAsync(configPath, configYaml(upstream.BaseUrl));
        var environment = new GatewayEnvironment(name => name == UpstreamKeyVariable ? UpstreamKey : variables?.GetValueOrDefault(name));
        var app = await GatehouseServer.BuildAsync(new ServeSettings(configPath), environment,
            logging ?? (l => l.SetMinimumLevel(LogLevel.Warning)), services);
        await app.StartAsync();
        var instance = new GatewayInstance(app, upstream, directory, configPath);
        await instance.CreateCallerAsync();
        return instance;
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// A data-plane client whose connections come from <paramref name="localAddress"/> (any
    /// 127.x address), e.g. a configured trusted proxy whose X-Forwarded-For the gateway believes.
    /// </summary>
    public HttpClient ClientFrom(string localAddress)
    {
        var local = new IPEndPoint(IPAddress.Parse(localAddress), 0);
        return new HttpClient(new SocketsHttpHandler { ConnectCallback = ConnectAsync }) { BaseAddress = DataPlaneUrl };

        async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(local);
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    private async Task CreateCallerAsync()
    {
        var organization = await PostAsync("/admin/v1/organizations", new CreateOrganizationRequest("Acme"), AdminJsonContext.Default.OrganizationView);
        var account = await PostAsync("/admin/v1/accounts", UsAccount(organization.Id, "Jo Tester"), AdminJsonContext.Default.AccountView);
        var key = await PostAsync("/admin/v1/keys", new CreateApiKeyRequest(account.Id, "tests"), AdminJsonContext.Default.CreatedApiKey);
        AccountId = account.Id;
        ApiKeyId = key.Id;
        ApiKey = key.Key;
    }

    /// <summary>
    /// The start of a configuration for the gate tests: both listeners on free loopback ports,
    /// 127.0.0.2 trusted as a proxy (so that X-Forwarded-For places the caller), the bundled GeoIP data.
    /// </summary>
    public static string BehindTrustedProxy => $$"""
        listeners:
          dataPlane: ["http://127.0.0.1:0"]
          admin: ["http://127.0.0.1:0"]
        trustedProxies: ["127.0.0.2"]
        {{BundledGeoIp.Section()}}
        """;

    /// <summary>An account that every identity rule is satisfied with for models limited to the US.</summary>
    public static CreateAccountRequest UsAccount(string organizationId, string name) => new(organizationId, name, null,
        new BillingAddressView("1 Main St", null, "Springfield", "12345", "US"), RegisteredCountry: "US", CardCountry: "US",
        Verification: new VerificationRequest("verified", "document"));

    public async Task<T> PostAsync<TRequest, T>(string path, TRequest body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var response = await Admin.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(type))!;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Client.Dispose();
        _viaTrustedProxy?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Upstream.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp folder behind.
        }
    }
}
