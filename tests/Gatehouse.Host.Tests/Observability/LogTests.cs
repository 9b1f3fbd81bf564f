using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Host.Tests.Observability;

public sealed class LogTests
{
    [Fact]
    public async Task Logs_AtEveryLevel_NeverContainAKeySecretAnAdminTokenOrAnUpstreamKey()
    {
        var capture = new CapturingLoggerProvider();
        await using var gateway = await GatewayInstance.StartAsync(GatewayFixture.Configuration, logging: logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(capture);
            // Provider rules win over the gateway's category rules, so the framework's chatter is caught too.
            logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
        });
        var calls = new GateCalls(gateway, gateway.Client);
        var token = await gateway.PostAsync("/admin/v1/tokens", new CreateAdminTokenRequest("second", "admin"), AdminJsonContext.Default.CreatedAdminToken);
        var caller = await calls.CallerAsync();
        var rotated = await gateway.PostAsync($"/admin/v1/keys/{caller.KeyId}/rotate", new RotateKeyRequest(), AdminJsonContext.Default.CreatedApiKey);
        var revoked = await calls.KeyAsync(caller.AccountId);
        using (var revocation = await gateway.Admin.PostAsJsonAsync($"/admin/v1/keys/{revoked.Id}/revoke", new CommentRequest("test"), AdminJsonContext.Default.CommentRequest))
        {
            revocation.EnsureSuccessStatusCode();
        }
        var wrongSecret = $"{caller.KeyId}_WrongSecretNeverToBeLogged0123456789";
        const string ForeignKey = "sk-ant-api03-SomeoneElsesProviderKeyNeverToBeLogged";
        const string WrongAdminToken = "gha_0000000000000000_WrongAdminTokenNeverToBeLogged";

        Assert.Equal(HttpStatusCode.OK, (await calls.SendAsync(caller.Key, "127.0.0.1", GatewayFixture.AnthropicModel)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await calls.SendAsync(caller.Key, "127.0.0.1", GatewayFixture.RestrictedModel)).Status);
        Assert.Equal(HttpStatusCode.BadGateway, (await calls.SendAsync(rotated.Key, "127.0.0.1", GatewayFixture.UnreachableModel)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await calls.SendAsync(revoked.Key, "127.0.0.1", GatewayFixture.AnthropicModel)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await calls.SendAsync(wrongSecret, "127.0.0.1", GatewayFixture.AnthropicModel)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await calls.SendAsync(ForeignKey, "127.0.0.1", GatewayFixture.AnthropicModel)).Status);
        using (var wrongAdmin = new HttpClient { BaseAddress = gateway.AdminUrl })
        {
            wrongAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WrongAdminToken);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrongAdmin.GetAsync("/admin/v1/keys")).StatusCode);
            wrongAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", caller.Key);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrongAdmin.GetAsync("/admin/v1/keys")).StatusCode);
        }

        var logged = capture.Text();
        // The capture works: the denial and the failed forward were logged, by key id.
        Assert.Contains($"(key {caller.KeyId})", logged);
        Assert.Contains("Forwarding to endpoint offline failed", logged);
        string[] secrets =
        [
            gateway.AdminToken, token.Token, GatewayInstance.UpstreamKey, wrongSecret, ForeignKey, WrongAdminToken,
            .. new[] { gateway.ApiKey, caller.Key, rotated.Key, revoked.Key }.Select(key => key[(key.LastIndexOf('_') + 1)..]),
        ];
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, logged, StringComparison.Ordinal));
    }

    /// <summary>The real executable, as an operator starts it, with <c>logFormat: json</c>.</summary>
    [Fact]
    public async Task Serve_WithJsonLogFormat_WritesOneJsonObjectPerLine()
    {
        using var folder = new TemporaryFolder();
        var config = folder.Write("gatehouse.yaml", """
            listeners:
              dataPlane: ["http://127.0.0.1:0"]
              admin: ["http://127.0.0.1:0"]
            observability:
              logFormat: json
            """);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(GatehouseServer).Assembly.Location, "serve", "--config", config },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("Gatehouse is serving", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.NotEmpty(lines);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var serving = Assert.Single(entries, e => e.GetProperty("EventId").GetInt32() == 2);
        Assert.Equal("Information", serving.GetProperty("LogLevel").GetString());
        Assert.Equal(config, serving.GetProperty("State").GetProperty("ConfigPath").GetString());
        Assert.EndsWith("Z", serving.GetProperty("Timestamp").GetString());
        var tokenWritten = Assert.Single(entries, e => e.GetProperty("EventId").GetInt32() == 1);
        Assert.DoesNotContain(File.ReadAllText(folder.PathOf(GatehouseServer.AdminTokenFileName)).Trim(), tokenWritten.GetRawText());
    }
}
