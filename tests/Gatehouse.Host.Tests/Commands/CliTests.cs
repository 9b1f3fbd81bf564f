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

    private static string ReferenceConfiguration => Path.Combine(RepositoryRoot.Path, "examples", "export-control.yaml");

    [Fact]
    public async Task GeoLookup_PrintsCountryAsnNetworkTypeAndJurisdictions()
    {
        var (code, output, _) = await RunAsync("geo", "lookup", "--config", ReferenceConfiguration, "--json", "8.8.8.8", "2.176.0.1", "::ffff:193.0.6.139", "10.0.0.1", "240.0.0.1");

        Assert.Equal(0, code);
        var views = JsonSerializer.Deserialize(output, AdminJsonContext.Default.IReadOnlyListGeoLookupView)!;
        Assert.Equal(("US", 15169u, "Google LLC", "hosting", "five-eyes,us"), (views[0].Country, views[0].Asn!.Value, views[0].NetworkName, views[0].NetworkType, string.Join(",", views[0].Jurisdictions)));
        Assert.Equal(("IR", "residential", "embargoed"), (views[1].Country, views[1].NetworkType, string.Join(",", views[1].Jurisdictions)));
        Assert.Equal(("NL", 3333u, "eu"), (views[2].Country, views[2].Asn!.Value, string.Join(",", views[2].Jurisdictions)));
        Assert.Equal(("US", "private"), (views[3].Country, views[3].NetworkType));  // the example places in-house callers in the US
        Assert.Equal((null, "unknown", "the address is not in the GeoIP data"), (views[4].Country, views[4].NetworkType, views[4].Note));
    }

    [Fact]
    public async Task GeoLookup_Table_IsReadable()
    {
        var (code, output, _) = await RunAsync("geo", "lookup", "-c", ReferenceConfiguration, "81.2.69.142", "240.0.0.1");

        Assert.Equal(0, code);
        Assert.Matches(@"81\.2\.69\.142 +│ GB +│ AS20712 +│ Andrews & Arnold Ltd +│ residential +│ five-eyes", output);
        Assert.Contains("240.0.0.1: location unknown: the address is not in the GeoIP data", output);
    }

    [Theory]
    [InlineData("not-an-ip", "'not-an-ip' is not an IP address")]
    [InlineData("1.2.3.4.5", "'1.2.3.4.5' is not an IP address")]
    public async Task GeoLookup_BadAddress_ExitsOneWithASentence(string address, string message)
    {
        var (code, _, error) = await RunAsync("geo", "lookup", "-c", ReferenceConfiguration, address);

        Assert.Equal(1, code);
        Assert.Equal(message, error.Trim());
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
