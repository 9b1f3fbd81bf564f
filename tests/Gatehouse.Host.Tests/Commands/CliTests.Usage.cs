using System.Net.Http.Headers;
using System.Text;
using Gatehouse.Host.Commands;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Tests.Support;
using Spectre.Console.Testing;
using TestUpstream;

namespace Gatehouse.Host.Tests.Commands;

/// <summary><c>usage report</c> and <c>budgets</c>.</summary>
public sealed partial class CliTests
{
    private async Task SendAsync(string key, bool stream)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{GatewayFixture.AnthropicModel}}","max_tokens":8,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await fixture.Gateway.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task UsageReport_TableAndCsv_ShowTheAccountsTokens()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");
        var key = await CreateKeyAsync(account.Id);
        await SendAsync(key.Key, stream: false);
        await SendAsync(key.Key, stream: true);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");

        var (code, output, error) = await RunAsync("usage", "report", "--account", account.Id, "--by", "model");

        Assert.True(code == 0, error);
        var row = output.Split('\n').Single(l => l.Contains(GatewayFixture.AnthropicModel, StringComparison.Ordinal));
        Assert.Equal([GatewayFixture.AnthropicModel, "2", "0", $"{2 * StubUpstream.InputTokens}", $"{2 * StubUpstream.OutputTokens}", "$0.00"], Cells(row));
        Assert.Equal(["Total", "2", "0", $"{2 * StubUpstream.InputTokens}", $"{2 * StubUpstream.OutputTokens}", "$0.00"],
            Cells(output.Split('\n').Single(l => l.Contains("Total", StringComparison.Ordinal))));

        (code, output, error) = await RunAsync("usage", "report", "--account", account.Id, "--from", today, "--csv");

        Assert.True(code == 0, error);
        Assert.Equal(
            ["day,account,organization,model,requests,unmetered_requests,input_tokens,output_tokens,cost_usd",
                $"{today},{account.Id},{account.OrganizationId},{GatewayFixture.AnthropicModel},2,0,{2 * StubUpstream.InputTokens},{2 * StubUpstream.OutputTokens},0"],
            output.TrimEnd('\n').Split('\n'));
    }

    /// <summary>The cells of a table row, whatever the borders and padding.</summary>
    private static string[] Cells(string row) => [.. row.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    [Fact]
    public async Task UsageReport_BadDay_SaysWhichOption()
    {
        var (code, _, error) = await RunAsync("usage", "report", "--from", "23/11/2026");

        Assert.Equal(1, code);
        Assert.Contains("400", error);
        Assert.Contains("YYYY-MM-DD", error);
    }

    [Fact]
    public async Task Budgets_SetListRemove_RoundTripThroughTheAdminApi()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");

        var (code, output, error) = await RunAsync("budgets", "set", "--account", account.Id, "--daily", "12.5", "--comment", "pilot");
        Assert.True(code == 0, error);
        Assert.Contains($"Budget of {account.Id}: $12.50 per day; $0.00 spent today.", output);

        (code, output, error) = await RunAsync("budgets", "list");
        Assert.True(code == 0, error);
        var row = Cells(output.Split('\n').Single(l => l.Contains(account.Id, StringComparison.Ordinal)));
        Assert.Equal([account.Id, "account", "$12.50", "$0.00", "within"], row[..5]);

        (code, output, error) = await RunAsync("budgets", "remove", "--account", account.Id);
        Assert.True(code == 0, error);
        Assert.Contains($"Removed the budget of {account.Id}.", output);
        (code, _, error) = await RunAsync("budgets", "remove", "--account", account.Id);
        Assert.Equal(1, code);
        Assert.Contains("404", error);
    }

    [Theory]
    [InlineData("budgets", "set", "--daily", "1")]
    [InlineData("budgets", "set", "--account", "acc_1", "--org", "org_1", "--daily", "1")]
    public async Task Budgets_NeitherOrBothSubjects_IsRefused(params string[] arguments)
    {
        var (code, _, _) = await RunAsync(arguments);
        var parse = GatehouseCli.Create(new CliContext(new TestConsole(), TextWriter.Null, new GatewayEnvironment(_ => null))).Parse(arguments);

        Assert.NotEqual(0, code);
        Assert.Contains(parse.Errors, e => e.Message == "Give exactly one of --account and --org.");
    }
}
