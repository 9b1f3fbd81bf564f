using System.Net;
using System.Net.Http.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Host.Tests.Hosting;

/// <summary><c>/readyz</c> and its checks, on a real gateway.</summary>
public sealed class ReadinessTests
{
    private static async Task<(HttpStatusCode Status, ReadinessView View)> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/readyz");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.ReadinessView))!);
    }

    [Fact]
    public async Task Readyz_OnBothPlanes_ListsEveryCheckAndNeedsNoToken()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayFixture.Configuration);
        using var admin = new HttpClient { BaseAddress = gateway.AdminUrl };

        foreach (var client in new[] { gateway.Client, admin })
        {
            var (status, view) = await ReadyAsync(client);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ready", view.Status);
            Assert.Equal(["storage", "configuration", "geoip", "sanctions", "audit"], view.Checks.Keys);
            Assert.StartsWith("ok: record ", view.Checks["audit"]);
        }
    }

    /// <summary>
    /// Another connection holds the write lock, as a stuck writer or a backup tool would: writes
    /// wait and fail. Unlike file permissions, a lock holds for root too, so the test means the
    /// same wherever it runs.
    /// </summary>
    [Fact]
    public async Task Readyz_DatabaseNotAcceptingWrites_IsNotReadyWithTheReasonUntilItDoesAgain()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayFixture.Configuration);
        var database = Path.Combine(gateway.Directory, "gatehouse.db");
        using var admin = new HttpClient { BaseAddress = gateway.AdminUrl };

        await using (var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
        {
            await holder.OpenAsync();
            await using var exclusive = holder.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();

            var probe = System.Diagnostics.Stopwatch.StartNew();
            var (status, view) = await ReadyAsync(admin);

            // A probe that waited as long as a write may (30 s) would itself time out in most orchestrators.
            Assert.InRange(probe.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("not_ready", view.Status);
            Assert.StartsWith($"failing: SQLite database {database} does not accept writes: ", view.Checks["storage"]);
            Assert.Contains("database is locked", view.Checks["storage"]);
            Assert.StartsWith("ok", view.Checks["configuration"]);
            Assert.StartsWith("ok", view.Checks["geoip"]);
            Assert.StartsWith("ok", view.Checks["audit"]);
        }

        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(admin)).Status);
    }

    [Fact]
    public async Task Readyz_AuditCommitFailed_IsNotReadyWhileTheStoreRefusesWrites_AndReadyOnceItAcceptsThemAgain()
    {
        await using var gateway = await GatewayInstance.StartAsync(upstream => GatewayFixture.Configuration(upstream) + "\naudit: { commitTimeout: 1s }\n");
        var database = Path.Combine(gateway.Directory, "gatehouse.db");
        var calls = new GateCalls(gateway, gateway.Client);

        await using (var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
        {
            await holder.OpenAsync();
            await using var exclusive = holder.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await calls.SendAsync(gateway.ApiKey, "127.0.0.1", GatewayFixture.AnthropicModel)).Status);
            // The commit gives up when SQLite's own busy wait (30 s) ends; the request was refused long before.
            await Eventually.TrueAsync(async () => (await ReadyAsync(gateway.Client)).View.Checks["audit"].StartsWith("failing", StringComparison.Ordinal), seconds: 60);

            var (status, view) = await ReadyAsync(gateway.Client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("the last commit failed", view.Checks["audit"]);
            Assert.Contains("data-plane requests are answered 503 until a commit succeeds", view.Checks["audit"]);
        }

        var recovering = await ReadyAsync(gateway.Client);
        Assert.Equal(HttpStatusCode.OK, recovering.Status);
        Assert.StartsWith("recovering: the last commit failed", recovering.View.Checks["audit"]);
        Assert.Equal(HttpStatusCode.OK, (await calls.SendAsync(gateway.ApiKey, "127.0.0.1", GatewayFixture.AnthropicModel)).Status);
        Assert.StartsWith("ok: record ", (await ReadyAsync(gateway.Client)).View.Checks["audit"]);
    }

    [Fact]
    public async Task Readyz_ARegisteredCheck_IsAskedAndDecidesReadiness()
    {
        var check = new SwitchableCheck();
        await using var gateway = await GatewayInstance.StartAsync(GatewayFixture.Configuration,
            services => services.AddSingleton<IReadinessCheck>(check));

        Assert.Equal("ok: writable", (await ReadyAsync(gateway.Client)).View.Checks["audit"]);

        check.Result = new ReadinessResult(false, "failing: the disk is full");
        var (status, view) = await ReadyAsync(gateway.Client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("failing: the disk is full", view.Checks["audit"]);
    }

    private sealed class SwitchableCheck : IReadinessCheck
    {
        public ReadinessResult Result { get; set; } = new(true, "ok: writable");

        public string Name => "audit";

        public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Result);
    }
}
