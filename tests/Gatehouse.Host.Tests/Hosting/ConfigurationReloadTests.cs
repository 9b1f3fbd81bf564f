using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.Hosting;

public sealed class ConfigurationReloadTests
{
    private static async Task<List<string>> ModelIdsAsync(GatewayInstance gateway)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.ApiKey);
        using var response = await gateway.Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return [.. body["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>())];
    }

    [Fact]
    public async Task ChangedFile_IsReloadedWithoutRestart()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayFixture.Configuration);
        Assert.DoesNotContain("qwen-2.5", await ModelIdsAsync(gateway));

        var yaml = GatewayFixture.Configuration(gateway.Upstream.BaseUrl) + $"""

              - id: qwen-local
                model: qwen-2.5
                provider: openai
                baseUrl: {gateway.Upstream.BaseUrl}
                region: local
            """;
        yaml = yaml.Replace("models:\n", "models:\n  - id: qwen-2.5\n");
        await File.WriteAllTextAsync(gateway.ConfigPath, yaml);

        await Eventually.TrueAsync(async () => (await ModelIdsAsync(gateway)).Contains("qwen-2.5"));
    }

    [Fact]
    public async Task InvalidFile_IsRejectedWholeAndTheOldOneKept()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayFixture.Configuration);
        var before = await ModelIdsAsync(gateway);

        await File.WriteAllTextAsync(gateway.ConfigPath, GatewayFixture.Configuration(gateway.Upstream.BaseUrl).Replace("provider: openai", "provider: azure"));

        await Eventually.TrueAsync(() => Task.FromResult(gateway.Service<ConfigurationState>().LastReloadError is not null));
        Assert.Contains("provider", gateway.Service<ConfigurationState>().LastReloadError);
        Assert.Equal(before, await ModelIdsAsync(gateway));
        var ready = (await gateway.Admin.GetFromJsonAsync("/readyz", AdminJsonContext.Default.ReadinessView))!;
        Assert.StartsWith("stale", ready.Checks["configuration"]);
    }
}
