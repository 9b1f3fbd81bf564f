using System.Text.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.Commands;

/// <summary>The CLI in-process, against a real gateway's admin API.</summary>
public sealed class CliTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) => Cli.RunAsync(fixture.Gateway, arguments);

    [Fact]
    public async Task OrgsAccountsKeys_CreateAndList_RoundTripThroughTheAdminApi()
    {
        var (code, output, _) = await RunAsync("orgs", "create", "--name", "Cli Org", "--json");
        Assert.Equal(0, code);
        var organization = JsonSerializer.Deserialize(output, AdminJsonContext.Default.OrganizationView)!;

        (code, output, _) = await RunAsync("accounts", "create", "--org", organization.Id, "--name", "Cli Account", "--billing-country", "DE", "--json");
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

    /// <summary>A new organisation with one account, so that each test sees only its own records.</summary>
    private async Task<AccountView> CreateAccountAsync(params string[] options)
    {
        var (code, output, error) = await RunAsync("orgs", "create", "--name", "Cli Org", "--json");
        Assert.True(code == 0, error);
        var organization = JsonSerializer.Deserialize(output, AdminJsonContext.Default.OrganizationView)!;
        (code, output, error) = await RunAsync(["accounts", "create", "--org", organization.Id, "--name", "Cli Account", "--json", .. options]);
        Assert.True(code == 0, error);
        return JsonSerializer.Deserialize(output, AdminJsonContext.Default.AccountView)!;
    }

    private async Task<CreatedApiKey> CreateKeyAsync(string accountId, params string[] options)
    {
        var (code, output, error) = await RunAsync(["keys", "create", "--account", accountId, "--name", "cli", "--json", .. options]);
        Assert.True(code == 0, error);
        return JsonSerializer.Deserialize(output, AdminJsonContext.Default.CreatedApiKey)!;
    }

    [Fact]
    public async Task Orgs_CreateShowUpdate_KeepsLegalNameAndCountry()
    {
        var (code, output, error) = await RunAsync("orgs", "create", "--name", "Acme", "--legal-name", "Acme Widgets GmbH", "--country", "DE", "--json");
        Assert.True(code == 0, error);
        var organization = JsonSerializer.Deserialize(output, AdminJsonContext.Default.OrganizationView)!;

        (code, output, error) = await RunAsync("orgs", "update", organization.Id, "--country", "AT");
        Assert.True(code == 0, error);

        (code, output, _) = await RunAsync("orgs", "show", organization.Id);
        Assert.Equal(0, code);
        Assert.Matches(@"Legal name +Acme Widgets GmbH", output);
        Assert.Matches(@"Registered country +AT", output);
    }

    [Fact]
    public async Task Accounts_CreateShowUpdateSuspend_ShowsKycAndStatusReason()
    {
        var account = await CreateAccountAsync("--billing-country", "DE", "--billing-city", "Berlin", "--card-country", "DE",
            "--verification", "verified", "--verification-method", "document");

        var (code, output, error) = await RunAsync("accounts", "show", account.Id);
        Assert.True(code == 0, error);
        Assert.Matches(@"Billing address +Berlin, DE", output);
        Assert.Matches(@"Verification +verified", output);
        Assert.Matches(@"Verification method +document", output);

        // A billing option without --billing-country changes the current address instead of replacing it.
        (code, _, error) = await RunAsync("accounts", "update", account.Id, "--card-country", "FR", "--billing-postal-code", "10115");
        Assert.True(code == 0, error);

        (code, output, error) = await RunAsync("accounts", "suspend", account.Id, "--comment", "card country does not match");
        Assert.True(code == 0, error);
        Assert.Contains("is now suspended", output);

        (code, output, _) = await RunAsync("accounts", "show", account.Id);
        Assert.Equal(0, code);
        Assert.Matches(@"Status +suspended", output);
        Assert.Matches(@"Status reason +card country does not match", output);
        Assert.Matches(@"Billing address +Berlin, 10115, DE", output);
        Assert.Matches(@"Card country +FR", output);

        (code, output, _) = await RunAsync("accounts", "list", "--org", account.OrganizationId, "--status", "suspended");
        Assert.Equal(0, code);
        Assert.Matches($@"{account.Id} +│ {account.OrganizationId} +│ Cli Account +│ suspended +│ DE +│ FR +│ +│ verified", output);
    }

    [Fact]
    public async Task Accounts_SuspendWithoutComment_IsAUsageError()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");

        var (code, _, _) = await RunAsync("accounts", "suspend", account.Id);

        Assert.NotEqual(0, code);
        (code, var output, _) = await RunAsync("accounts", "show", account.Id);
        Assert.Matches(@"Status +active", output);
    }

    [Fact]
    public async Task Keys_CreateWithRateLimitAndNetworks_ListShowsThem()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");
        var key = await CreateKeyAsync(account.Id, "--rate-limit", "60/1m", "--allow-network", "10.0.0.0/8", "--allow-network", "192.0.2.0/24", "--expires", "2099-01-31T00:00:00Z");

        var (code, output, error) = await RunAsync("keys", "list", "--account", account.Id);

        Assert.True(code == 0, error);
        Assert.Matches($@"{key.Id} +│ {account.Id} +│ cli +│ active +│ 2099-01-31 00:00:00Z +│ 10\.0\.0\.0/8, 192\.0\.2\.0/24 +│ 60/1m", output);
    }

    [Theory]
    [InlineData("60")]
    [InlineData("sixty/1m")]
    [InlineData("60/1 minute")]
    [InlineData("0/1m")]
    public async Task Keys_CreateWithBadRateLimit_Fails(string limit)
    {
        var account = await CreateAccountAsync("--billing-country", "DE");

        var (code, output, _) = await RunAsync("keys", "create", "--account", account.Id, "--name", "cli", "--rate-limit", limit);

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("gh_", output);
    }

    [Fact]
    public async Task Keys_Rotate_PrintsNewKeyAndListShowsOldOneRotating()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");
        var old = await CreateKeyAsync(account.Id);

        var (code, output, error) = await RunAsync("keys", "rotate", old.Id, "--grace", "1h");

        Assert.True(code == 0, error);
        Assert.Contains("shown this once", output);
        var key = output.Split('\n').Single(l => l.StartsWith("gh_", StringComparison.Ordinal)).Trim();
        Assert.NotEqual(old.Key, key);
        Assert.Contains($"The old key {old.Id} works until", output);

        (code, output, _) = await RunAsync("keys", "list", "--account", account.Id);
        Assert.Equal(0, code);
        Assert.Matches($@"{old.Id} +│ {account.Id} +│ cli +│ rotating", output);
        Assert.Matches($@"{key[..19]} +│ {account.Id} +│ cli +│ active", output);
    }

    [Fact]
    public async Task Keys_Revoke_ShowSaysRevoked()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");
        var key = await CreateKeyAsync(account.Id);

        var (code, _, error) = await RunAsync("keys", "revoke", key.Id, "--comment", "laptop lost");
        Assert.True(code == 0, error);

        (code, var output, _) = await RunAsync("keys", "show", key.Id);
        Assert.Equal(0, code);
        Assert.Matches(@"Status +revoked", output);
    }

    [Fact]
    public async Task Tokens_CreateAuditor_PrintsTokenOnceAndListsIt()
    {
        var name = $"auditor-{Guid.NewGuid():n}";

        var (code, output, error) = await RunAsync("tokens", "create", "--role", "auditor", "--name", name);

        Assert.True(code == 0, error);
        Assert.Contains("shown this once", output);
        var token = output.Split('\n').Single(l => l.StartsWith("gha_", StringComparison.Ordinal)).Trim();
        (code, output, _) = await RunAsync("tokens", "list");
        Assert.Equal(0, code);
        Assert.Matches($@"│ auditor +│ {name} +│", output);
        Assert.DoesNotContain(token, output);
    }

    [Fact]
    public async Task Tokens_CreateWithUnknownRole_IsAUsageError()
    {
        var (code, output, _) = await RunAsync("tokens", "create", "--role", "owner", "--name", "x");

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("gha_", output);
    }

    [Fact]
    public async Task Flags_ListForAccountWithoutFlags_PrintsAnEmptyTable()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");

        var (code, output, error) = await RunAsync("flags", "list", "--status", "all", "--account", account.Id);

        Assert.True(code == 0, error);
        Assert.Matches(@"Id +│ Account +│ Reason +│ Status +│ Raised +│ Occurrences +│ Summary", output);
        Assert.DoesNotContain(account.Id, output);
    }

    [Fact]
    public async Task Accounts_UpdateWithoutChanges_IsAUsageError()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");

        var (code, _, _) = await RunAsync("accounts", "update", account.Id);

        Assert.NotEqual(0, code);
        (_, var output, _) = await RunAsync("audit", "list", "--target", account.Id);
        Assert.DoesNotContain("account.update", output);
    }

    [Fact]
    public async Task Flags_ReviewUnknownFlag_ExitsOneWithASentence()
    {
        var (code, _, error) = await RunAsync("flags", "review", "flag_doesnotexist", "--action", "clear", "--comment", "looked at it");

        Assert.Equal(1, code);
        Assert.Contains("404", error);
        Assert.Contains("flag_doesnotexist", error);
    }

    [Fact]
    public async Task Audit_ListForAccount_ShowsCreateAndSuspendWithComment()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");
        var (code, _, error) = await RunAsync("accounts", "suspend", account.Id, "--comment", "sanctions screening hit");
        Assert.True(code == 0, error);

        (code, var output, error) = await RunAsync("audit", "list", "--target", account.Id);

        Assert.True(code == 0, error);
        Assert.Matches($@"│ account\.create +│ {account.Id} +│", output);
        Assert.Matches($@"│ account\.suspend +│ {account.Id} +│ status: active → suspended +│ sanctions screening hit", output);
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

    [Fact]
    public async Task Licenses_GrantListShowRevoke()
    {
        var account = await CreateAccountAsync("--billing-country", "GB");

        var (code, output, error) = await RunAsync("licenses", "grant", "--org", account.OrganizationId, "--number", "D-7654321", "--model", "mythos-*",
            "--country", "GB", "--country", "DE", "--to", "2030-01-01T00:00:00Z", "--note", "cli test", "--json");
        Assert.True(code == 0, error);
        var license = JsonSerializer.Deserialize(output, AdminJsonContext.Default.LicenseView)!;
        Assert.Equal("mythos-* from GB, DE: active", $"{string.Join(", ", license.Models)} from {string.Join(", ", license.Countries)}: {license.Status}");

        (code, output, _) = await RunAsync("licenses", "list", "--org", account.OrganizationId);
        Assert.Equal(0, code);
        Assert.Contains("D-7654321", output);
        Assert.Contains("GB, DE", output);

        (code, output, error) = await RunAsync("licenses", "revoke", license.Id, "--comment", "withdrawn");
        Assert.True(code == 0, error);
        Assert.Contains("Revoked licence D-7654321", output);

        (code, output, _) = await RunAsync("licenses", "show", license.Id);
        Assert.Contains("revoked", output);
        Assert.Contains("withdrawn", output);
    }

    [Fact]
    public async Task Sanctions_ImportAFolder_ThenScreenANameAgainstIt()
    {
        var (code, output, error) = await RunAsync("sanctions", "import", SharedData.Sanctions("ofac_fixture_watchman"));
        Assert.True(code == 0, error);
        Assert.Contains("ofac-sdn", output);

        (code, output, error) = await RunAsync("sanctions", "screen", "Khoroshev Dmitry Yuryevich", "--country", "RU");
        Assert.True(code == 0, error);
        Assert.Contains("ofac-sdn:48603", output);
        Assert.Contains("KHOROSHEV, Dmitry Yuryevich", output);

        (code, output, _) = await RunAsync("sanctions", "lists");
        Assert.Contains("ofac-sdn", output);
        Assert.Contains("sdn.csv", output);
    }

    [Fact]
    public async Task SanctionsImport_OfAFolderWithNoList_FailsWithTheReason()
    {
        using var empty = new TemporaryFolder();

        var (code, _, error) = await RunAsync("sanctions", "import", empty.Location);

        Assert.Equal(1, code);
        Assert.Contains(empty.Location, error);
    }

    [Fact]
    public async Task Models_DisableListEnable()
    {
        var (code, output, error) = await RunAsync("models", "disable", GatewayFixture.UnreachableModel, "--reason", "Maintenance window");
        Assert.True(code == 0, error);
        Assert.Contains($"Disabled {GatewayFixture.UnreachableModel}", output);

        (code, output, _) = await RunAsync("models", "list");
        Assert.Equal(0, code);
        Assert.Contains("Maintenance window", output);

        (code, _, error) = await RunAsync("models", "disable", GatewayFixture.UnreachableModel, "--reason", "again");
        Assert.Equal(1, code);
        Assert.Contains("already disabled", error);

        (code, output, error) = await RunAsync("models", "enable", GatewayFixture.UnreachableModel);
        Assert.True(code == 0, error);
        Assert.Contains("Enabled", output);
    }

    [Fact]
    public async Task PolicyTest_RunsTheCases_AndExitsNonZeroOnAMismatch()
    {
        using var folder = new TemporaryFolder();
        folder.Write("gateway.json", """
            {"Statement":[
              {"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"},
              {"Sid":"NoRestrictedInEu","Effect":"Deny","Action":"endpoint:Create","Resource":"*",
               "Condition":{"StringEquals":{"gate:ModelClassification":"restricted"},"StringLike":{"gate:RequestedRegion":"eu-*"}}}
            ]}
            """);
        folder.Write("eu.json", """{"Statement":[{"Sid":"InvokeInEu","Effect":"Allow","Action":"model:Invoke","Resource":"model/*","Condition":{"StringLike":{"gate:EndpointRegion":"eu-*"}}}]}""");
        var config = folder.Write("gatehouse.yaml", "policies:\n  gateway: [gateway.json]\n  organizations:\n    org_eu: [eu.json]\n");
        var passing = folder.Write("cases.yaml", """
            cases:
              - name: open model endpoint in eu-central
                action: endpoint:Create
                resource: endpoint/eu-central/llama
                context: { "gate:ModelClassification": open, "gate:RequestedRegion": eu-central }
                expect: allow
              - name: restricted model endpoint in eu-central
                action: endpoint:Create
                resource: endpoint/eu-central/mythos-5
                context: { "gate:ModelClassification": restricted, "gate:RequestedRegion": eu-central }
                expect: explicit_deny
                statement: NoRestrictedInEu
              - name: EU organisation invoking from us-east
                action: model:Invoke
                resource: model/llama
                organization: org_eu
                context: { "gate:EndpointRegion": us-east }
                expect: implicit_deny
            """);
        var failing = folder.Write("wrong.yaml", """
            cases:
              - name: EU organisation invoking from us-east, wrongly expected
                action: model:Invoke
                resource: model/llama
                organization: org_eu
                context: { "gate:EndpointRegion": us-east }
                expect: allow
            """);

        var (code, output, error) = await RunAsync("policy", "test", "--config", config, passing);
        Assert.True(code == 0, error + output);
        Assert.Contains("3 passed, 0 failed", output);
        Assert.Contains("explicit_deny by NoRestrictedInEu in gateway.json", output);

        (code, output, _) = await RunAsync("policy", "test", "--config", config, failing);
        Assert.Equal(1, code);
        Assert.Contains("FAIL", output);
        Assert.Contains("0 passed, 1 failed", output);
    }

    [Fact]
    public async Task Endpoints_CreateAndList()
    {
        var (code, output, error) = await RunAsync("endpoints", "create", "--id", "llama-eu-2", "--model", GatewayFixture.OpenAIModel, "--region", "eu-central",
            "--provider", "openai", "--base-url", "http://127.0.0.1:1", "--upstream-model", "meta-llama/Llama-3.1-405B");
        Assert.True(code == 0, error);
        Assert.Contains("Created endpoint llama-eu-2", output);

        (code, output, _) = await RunAsync("endpoints", "list");
        Assert.Equal(0, code);
        Assert.Contains("llama-eu-2", output);
        Assert.Contains("admin", output);
    }
}
