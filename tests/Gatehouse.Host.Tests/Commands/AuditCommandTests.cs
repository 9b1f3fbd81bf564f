using System.Globalization;
using System.Text.Json.Nodes;
using Gatehouse.Engine.Audit;
using Gatehouse.Host.Audit;
using Gatehouse.Host.Tests.Support;
using Gatehouse.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Host.Tests.Commands;

/// <summary>
/// <c>gatehouse audit verify</c> on a database file that was tampered with in each way an
/// attacker with the file could: it names the first bad record every time.
/// </summary>
public sealed class AuditVerifyCommandTests : IAsyncLifetime
{
    private const int Count = 10;
    private readonly TemporaryFolder _folder = new();
    private string Database => Path.Combine(_folder.Location, "gatehouse.db");

    public async Task InitializeAsync()
    {
        var store = new SqliteStore(Database);
        await store.MigrateAsync(CancellationToken.None);
        var drafts = Enumerable.Range(1, Count).Select(sequence => new AuditRecord
        {
            Time = new DateTimeOffset(2026, 11, 24, 9, sequence, 0, TimeSpan.Zero),
            Kind = AuditRecordKind.Decision,
            RequestId = $"req_{sequence}",
            AccountId = "acc_1",
            Effect = "deny",
            ReasonCode = "geo.country_restricted",
        }).ToList();
        IReadOnlyList<AuditRecord> records;
        await using (var appender = await store.OpenAuditAppenderAsync(flushToDisk: true, TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            records = await appender.AppendAsync(drafts, null, CancellationToken.None);
        }
        AuditHeadFile.Write(Path.Combine(_folder.Location, AuditWriter.HeadFileName), new AuditHead(Count, records[^1].Hash));
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private Task<(int ExitCode, string Output, string Error)> VerifyAsync() => Cli.RunAsync(null, "audit", "verify", "--database", Database);

    [Fact]
    public async Task AnUntouchedLog_VerifiesAndExitsZero()
    {
        var (code, output, error) = await VerifyAsync();

        Assert.True(code == 0, error);
        Assert.Contains($"intact: {Count} records, 1 to {Count}", output);
    }

    [Theory]
    [InlineData("a field changed", "UPDATE audit_log SET effect = 'allow', reason_code = 'allowed' WHERE seq = 4", 4, "changed")]
    [InlineData("a record deleted", "DELETE FROM audit_log WHERE seq = 6", 6, "removed")]
    [InlineData("two records swapped", """
        UPDATE audit_log SET seq = -1 WHERE seq = 3;
        UPDATE audit_log SET seq = 3 WHERE seq = 4;
        UPDATE audit_log SET seq = 4 WHERE seq = -1;
        """, 3, "changed")]
    [InlineData("the tail cut off", "DELETE FROM audit_log WHERE seq > 7", 8, "truncated")]
    [InlineData("the oldest records deleted", "DELETE FROM audit_log WHERE seq <= 2", 1, "removed")]
    public async Task ATamperedLog_IsBroken_AtTheFirstBadRecord(string tampering, string sql, int firstBad, string problem)
    {
        await ExecuteAsync(sql);

        var (code, output, _) = await VerifyAsync();

        Assert.True(code == 1, $"{tampering}: exit code {code}");
        Assert.Contains($"broken at record {firstBad}:", output);
        Assert.Contains(problem, output);
    }

    [Fact]
    public async Task AMissingDatabase_IsAClearError()
    {
        var (code, _, error) = await Cli.RunAsync(null, "audit", "verify", "--database", Path.Combine(_folder.Location, "nothing.db"));

        Assert.Equal(1, code);
        Assert.Contains("there is no database at", error);
    }
}

/// <summary><c>gatehouse audit records|export|verify</c> through a real gateway's admin API.</summary>
public sealed class AuditCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private async Task<int> MakeDecisionsAsync()
    {
        var calls = new GateCalls(fixture.Gateway, fixture.Gateway.Client);
        for (var i = 0; i < 3; i++)
        {
            await calls.SendAsync(fixture.Gateway.ApiKey, "127.0.0.1", GatewayFixture.AnthropicModel);
        }
        return 3;
    }

    [Fact]
    public async Task Export_WritesEveryRecordOnce_AsJsonLinesOrCsv_AndVerifyOnlineIsIntact()
    {
        await MakeDecisionsAsync();

        var (jsonCode, jsonl, jsonError) = await Cli.RunAsync(fixture.Gateway, "audit", "export", "--format", "jsonl");
        var (csvCode, csv, _) = await Cli.RunAsync(fixture.Gateway, "audit", "export", "--format", "csv", "--kind", "decision");
        var (verifyCode, verified, _) = await Cli.RunAsync(fixture.Gateway, "audit", "verify");

        Assert.True(jsonCode == 0, jsonError);
        var lines = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var sequences = lines.Select(l => (long)l["sequence"]!).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.Contains(lines, l => (string?)l["kind"] == "decision" && (string?)l["model"] == GatewayFixture.AnthropicModel);
        Assert.Matches("^[0-9a-f]{64}$", (string)lines[0]["hash"]!);

        Assert.Equal(0, csvCode);
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sequence,time,kind,dropped_through,request_id,", rows[0]);
        Assert.Equal(lines.Count(l => (string?)l["kind"] == "decision"), rows.Length - 1);
        Assert.All(rows.Skip(1), r => Assert.Contains(",decision,", r));

        Assert.Equal(0, verifyCode);
        Assert.StartsWith("intact:", verified);
    }

    [Fact]
    public async Task Records_FiltersByReason_AndBadFiltersAreRefused()
    {
        await MakeDecisionsAsync();

        var (code, output, _) = await Cli.RunAsync(fixture.Gateway, "audit", "records", "--reason", "allowed", "--from", TimeProvider.System.GetUtcNow().AddHours(-1).ToString("O", CultureInfo.InvariantCulture));
        var (badCode, _, badError) = await Cli.RunAsync(fixture.Gateway, "audit", "records", "--from", "yesterday");

        Assert.Equal(0, code);
        Assert.Contains(GatewayFixture.AnthropicModel, output);
        Assert.DoesNotContain("admin", output);
        Assert.NotEqual(0, badCode);
        Assert.Contains("'yesterday' is not a time", badError);
    }
}
