using System.Diagnostics;
using Gatehouse.Host.Tests.Support;
using TestUpstream;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>
/// The official Anthropic and OpenAI SDKs from npm, pointed at a real gateway: tests/sdk/sdk.test.mjs,
/// run with Node's test runner. Node.js and npm are prerequisites of the test command.
/// </summary>
public sealed class OfficialSdkTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly string SdkFolder = Path.Combine(RepositoryRoot.Path, "tests", "sdk");

    private static async Task InstallSdksAsync()
    {
        if (!Directory.Exists(Path.Combine(SdkFolder, "node_modules")))
        {
            var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], new Dictionary<string, string>());
            Assert.True(install.ExitCode == 0, "npm ci in tests/sdk failed:\n" + install.Output);
        }
    }

    [Fact]
    public async Task OfficialSdks_StreamingAndNonStreaming_TextArrivesIntact()
    {
        await InstallSdksAsync();
        var gateway = fixture.Gateway;
        var environment = new Dictionary<string, string>
        {
            ["GATEHOUSE_URL"] = gateway.DataPlaneUrl.ToString().TrimEnd('/'),
            ["GATEHOUSE_KEY"] = gateway.ApiKey,
            ["ANTHROPIC_MODEL"] = GatewayFixture.AnthropicModel,
            ["OPENAI_MODEL"] = GatewayFixture.OpenAIModel,
            ["RESTRICTED_MODEL"] = GatewayFixture.RestrictedModel,
            ["EXPECTED_TEXT"] = StubUpstream.ExpectedText,
        };

        var run = await RunAsync("node", ["--test", "sdk.test.mjs"], environment);

        Assert.True(run.ExitCode == 0, "The SDK tests failed:\n" + run.Output);
        Assert.Matches(@"# pass [1-9]\d*", run.Output);
        Assert.Contains("# fail 0", run.Output);
    }

    /// <summary>tests/sdk/usage.test.mjs: what the SDKs report as their usage is what the gateway recorded, read through the admin API.</summary>
    [Fact]
    public async Task OfficialSdks_ReportedUsage_IsWhatTheGatewayRecorded()
    {
        await InstallSdksAsync();
        var gateway = fixture.Gateway;
        // A caller of its own, so that the account's usage is only this script's.
        var caller = await new GateCalls(gateway, gateway.Client).CallerAsync(organizationName: "SDK usage");
        var environment = new Dictionary<string, string>
        {
            ["GATEHOUSE_URL"] = gateway.DataPlaneUrl.ToString().TrimEnd('/'),
            ["GATEHOUSE_KEY"] = caller.Key,
            ["GATEHOUSE_ACCOUNT"] = caller.AccountId,
            ["GATEHOUSE_ADMIN_URL"] = gateway.AdminUrl.ToString().TrimEnd('/'),
            ["GATEHOUSE_ADMIN_TOKEN"] = gateway.AdminToken,
            ["ANTHROPIC_MODEL"] = GatewayFixture.AnthropicModel,
            ["OPENAI_MODEL"] = GatewayFixture.OpenAIModel,
        };

        var run = await RunAsync("node", ["--test", "usage.test.mjs"], environment);

        Assert.True(run.ExitCode == 0, "The SDK usage tests failed:\n" + run.Output);
        Assert.Contains("# pass 5", run.Output);
        Assert.Contains("# fail 0", run.Output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = SdkFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
