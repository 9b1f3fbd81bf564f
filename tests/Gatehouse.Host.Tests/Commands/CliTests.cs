using System.Text.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Commands;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Tests.Support;
using Spectre.Console.Testing;

namespace Gatehouse.Host.Tests.Commands;

/// <summary>The CLI in-process, against a real gateway's admin API.</summary>
public sealed class CliTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var console = new TestConsole();
        console.Profile.Width = 200;
        var error = new StringWriter();
        var gateway = fixture.Gateway;
        var environment = new GatewayEnvironment(name => name switch
        {
            AdminOptions.UrlVariable => gateway.AdminUrl.ToString(),
            AdminOptions.TokenVariable => gateway.AdminToken,
            _ => null,
        });
        var exitCode = await GatehouseCli.Create(new CliContext(console, error, environment)).Parse(arguments).InvokeAsync();
        return (exitCode, console.Output, error.ToString());
    }

    [Fact]
    public async Task OrgsAccountsKeys_CreateAndList_RoundTripThroughTheAdminApi()
    {
        var (code, output, _) = await RunAsync("orgs", "create", "--name", "Cli Org", "--json");
        Assert.Equal(0, code);
        var organization = JsonSerializer.Deserialize(output, AdminJsonContext.Default.OrganizationView)!;

        (code, output, _) = await RunAsync("accounts", "create", "--org", organization.Id, "--name", "Cli Account", "--json");
        Assert.Equal(0, code);
        var account = JsonSerializer.Deserialize(output, AdminJsonContext.Default.AccountView)!;

        (code, output, _) = await RunAsync("keys", "create", "--account", account.Id, "--name", "cli");
        Assert.Equal(0, code);
        Assert.Contains("shown this once", output);
        var key = output.Split('\n').Single(l => l.StartsWith("gh_", StringComparison.Ordinal)).Trim();

        (code, output, _) = await RunAsync("keys", "list", "--account", account.Id);
        Assert.Equal(0, code);
        Assert.Contains(key[..19], output);
        Assert.DoesNotContain(key, output);

        (code, output, _) = await RunAsync("orgs", "list");
        Assert.Contains("Cli Org", output);
    }

    [Fact]
    public async Task Explain_RestrictedModel_PrintsDenialAndTrace()
    {
        var (code, output, _) = await RunAsync("explain", "--model", GatewayFixture.RestrictedModel, "--ip", "81.2.69.142");

        Assert.Equal(0, code);
        Assert.Contains("DENY geo.country_restricted", output);
        Assert.Contains("this request came from GB (81.2.69.142)", output);
        Assert.Contains("geo.jurisdiction", output);
    }

    [Fact]
    public async Task AdminCommand_UnreachableApi_ExitsOneWithASentence()
    {
        var (code, _, error) = await RunAsync("orgs", "list", "--admin-url", "http://127.0.0.1:9");

        Assert.Equal(1, code);
        Assert.Contains("Cannot reach the admin API", error);
    }

    [Fact]
    public async Task ConfigValidate_InvalidFile_ExitsOneWithLineAndField()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gatehouse-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(path, "endpoints:\n  - id: e\n    model: nope\n");
        try
        {
            var (code, _, error) = await RunAsync("config", "validate", "--config", path);

            Assert.Equal(1, code);
            Assert.Contains($"{path}:3: endpoints[0].model:", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ConfigValidate_Example_IsValid()
    {
        var (code, output, _) = await RunAsync("config", "validate", "--config", Path.Combine(RepositoryRoot.Path, "examples", "export-control.yaml"));

        Assert.Equal(0, code);
        Assert.Contains("valid", output);
    }
}
