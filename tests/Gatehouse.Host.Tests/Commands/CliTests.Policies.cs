using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.Commands;

/// <summary><c>policies put|list|show|delete</c>.</summary>
public sealed partial class CliTests
{
    [Fact]
    public async Task Policies_PutListShowDelete_AndAMistakenDocumentPrintsEachMistake()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");
        using var folder = new TemporaryFolder();
        var good = folder.Write("no-mythos.json", """{"Statement": {"Sid": "NoMythos", "Effect": "Deny", "Action": "model:Invoke", "Resource": "model/mythos-*"}}""");
        var bad = folder.Write("bad.json", "{\"Statement\": [\n  {\"Effect\": \"Alow\", \"Action\": \"*\", \"Resource\": \"*\"},\n  {\"Effect\": \"Allow\", \"Action\": \"*\"}\n]}");

        var (code, _, error) = await RunAsync("policies", "put", "cli-bad", "--file", bad, "--gateway");
        Assert.Equal(1, code);
        Assert.Contains("stored policy cli-bad:2: Statement[0]: Effect:", error);
        Assert.Contains("stored policy cli-bad:3: Statement[1]", error);

        (code, _, error) = await RunAsync("policies", "put", "cli-missing", "--file", folder.PathOf("absent.json"), "--gateway");
        Assert.Equal(1, code);
        Assert.Contains("cannot read", error);

        (code, var output, error) = await RunAsync("policies", "put", "cli-no-mythos", "--file", good, "--org", account.OrganizationId, "--comment", "order 7");
        Assert.True(code == 0, error);
        Assert.Contains($"Stored cli-no-mythos, attached to {account.OrganizationId}.", output);

        (code, output, _) = await RunAsync("policies", "list");
        Assert.Equal(0, code);
        Assert.Matches($@"cli-no-mythos +│ +{account.OrganizationId}", output);

        (code, output, _) = await RunAsync("policies", "show", "cli-no-mythos");
        Assert.Equal(0, code);
        Assert.Contains("\"Sid\": \"NoMythos\"", output);

        (code, output, error) = await RunAsync("policies", "delete", "cli-no-mythos", "--comment", "lifted");
        Assert.True(code == 0, error);
        Assert.Contains("Deleted cli-no-mythos.", output);

        (code, _, error) = await RunAsync("policies", "show", "cli-no-mythos");
        Assert.Equal(1, code);
        Assert.Contains("There is no stored policy cli-no-mythos.", error);

        (code, output, error) = await RunAsync("policies", "history", "cli-no-mythos");
        Assert.True(code == 0, error);
        Assert.Matches(@"│ +1 +│.*│ +put +│", output);
        Assert.Matches(@"│ +2 +│.*│ +deleted +│", output);
    }

    [Fact]
    public async Task PolicyTest_WithStored_AddsTheRunningGatewaysStoredPolicies()
    {
        var account = await CreateAccountAsync("--billing-country", "DE");
        using var folder = new TemporaryFolder();
        var policy = folder.Write("eu-only.json", """{"Statement": {"Sid": "InvokeInEu", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/*", "Condition": {"StringLike": {"gate:EndpointRegion": "eu-*"}}}}""");
        var cases = folder.Write("cases.yaml", $$"""
            cases:
              - name: the organisation invoking from us-east
                action: model:Invoke
                resource: model/llama
                organization: {{account.OrganizationId}}
                context: { "gate:EndpointRegion": us-east }
                expect: implicit_deny
              - name: the organisation invoking from eu-central
                action: model:Invoke
                resource: model/llama
                organization: {{account.OrganizationId}}
                context: { "gate:EndpointRegion": eu-central }
                expect: allow
                statement: InvokeInEu
            """);
        var (code, _, error) = await RunAsync("policies", "put", "cli-eu-only", "--file", policy, "--org", account.OrganizationId);
        Assert.True(code == 0, error);

        var (withoutStored, offline, _) = await RunAsync("policy", "test", "--config", fixture.Gateway.ConfigPath, cases);
        var (withStored, live, liveError) = await RunAsync("policy", "test", "--config", fixture.Gateway.ConfigPath, cases, "--stored");

        Assert.Equal(1, withoutStored);
        Assert.Contains("0 passed, 2 failed", offline);
        Assert.True(withStored == 0, liveError + live);
        Assert.Contains("2 passed, 0 failed", live);
        Assert.Contains("allow by InvokeInEu in stored policy cli-eu-only", live);
    }
}
