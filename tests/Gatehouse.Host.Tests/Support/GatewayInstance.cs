using System.Net.Http.Headers;
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

    public IServiceProvider Services => _app.Services;

    /// <param name="configYaml">Builds the configuration from the stub's base URL.</param>
    public static async Task<GatewayInstance> StartAsync(Func<Uri, string> configYaml)
    {
        var upstream = await StubUpstream.StartAsync(UpstreamKey);
        var directory = Path.Combine(Path.GetTempPath(), "gatehouse-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "gatehouse.yaml");
        await File.WriteAllTextAsync(configPath, configYaml(upstream.BaseUrl));
        var environment = new GatewayEnvironment(name => name == UpstreamKeyVariable ? UpstreamKey : null);
        var app = await GatehouseServer.BuildAsync(new ServeSettings(configPath), environment,
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var instance = new GatewayInstance(app, upstream, directory, configPath);
        await instance.CreateCallerAsync();
        return instance;
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private async Task CreateCallerAsync()
    {
        var organization = await PostAsync("/admin/v1/organizations", new CreateOrganizationRequest("Acme"), AdminJsonContext.Default.OrganizationView);
        var account = await PostAsync("/admin/v1/accounts", new CreateAccountRequest(organization.Id, "Jo Tester", null), AdminJsonContext.Default.AccountView);
        var key = await PostAsync("/admin/v1/keys", new CreateApiKeyRequest(account.Id, "tests"), AdminJsonContext.Default.CreatedApiKey);
        AccountId = account.Id;
        ApiKeyId = key.Id;
        ApiKey = key.Key;
    }

    private async Task<T> PostAsync<TRequest, T>(string path, TRequest body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var response = await Admin.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(type))!;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Client.Dispose();
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
