using System.Collections.Frozen;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Policy;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Engine.Tests.Policy;

/// <summary>Policies kept in the store: how they join the configured ones, what an unreadable one does, and the operations that change them.</summary>
public sealed class StoredPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private const string AllowEverything = """{"Statement": {"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}}""";
    private const string NoMythos = """{"Statement": {"Sid": "NoMythos", "Effect": "Deny", "Action": "model:Invoke", "Resource": "model/mythos"}}""";
    private const string InvokeInEu = """
        {"Statement": [
          {"Sid": "InvokeInEu", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/*", "Condition": {"StringLike": {"gate:EndpointRegion": "eu-*"}}}
        ]}
        """;

    private static readonly PolicySettings Configured = new(
        PolicySet.Compile([PolicyDocument.Parse(AllowEverything, "/etc/gatehouse/gateway.json")]),
        new Dictionary<string, PolicySet> { ["org_eu"] = PolicySet.Compile([PolicyDocument.Parse(InvokeInEu, "/etc/gatehouse/eu.json")]) }.ToFrozenDictionary());

    private static StoredPolicy Stored(string id, string document, bool gateway = false, params string[] organizations) =>
        new(id, 1, document, gateway, organizations, Now, Now, "gha_x (admin)");

    private static PolicyVerdict Evaluate(PolicySettings policies, string organization, string model, string region) =>
        policies.Evaluate(new PolicyRequest { Action = PolicyActions.ModelInvoke, Resource = $"model/{model}", Organization = organization, EndpointRegion = region }, organization);

    [Fact]
    public void AStoredPolicy_JoinsTheConfiguredSetOfEachLevelItIsAttachedTo()
    {
        var stored = StoredPolicies.Of([Stored("no-mythos", NoMythos, organizations: "org_eu"), Stored("eu-for-new", InvokeInEu, organizations: "org_new")]);

        var policies = Configured.With(stored);

        // Beside the file: the file's Allow still decides llama, the stored Deny decides mythos.
        Assert.True(Evaluate(policies, "org_eu", "llama", "eu-central").IsAllowed);
        var mythos = Evaluate(policies, "org_eu", "mythos", "eu-central");
        Assert.Equal((PolicyOutcome.ExplicitDeny, "stored policy no-mythos", "the organisation's policies"),
            (mythos.Evaluation.Outcome, mythos.Evaluation.Statement!.Document, mythos.Level));
        // An organisation with no file gets a set of its own.
        Assert.False(Evaluate(policies, "org_new", "llama", "us-east").IsAllowed);
        Assert.True(Evaluate(policies, "org_new", "llama", "eu-west").IsAllowed);
        Assert.True(Evaluate(policies, "org_other", "mythos", "us-east").IsAllowed);
    }

    [Fact]
    public void AStoredGatewayPolicy_AppliesToEveryOrganisation()
    {
        var policies = Configured.With(StoredPolicies.Of([Stored("no-mythos", NoMythos, gateway: true)]));

        Assert.False(Evaluate(policies, "org_other", "mythos", "us-east").IsAllowed);
        Assert.Equal("the gateway's policies", Evaluate(policies, "org_eu", "mythos", "eu-central").Level);
        Assert.True(Evaluate(policies, "org_other", "llama", "us-east").IsAllowed);
    }

    [Fact]
    public void NoStoredPolicy_LeavesTheConfiguredSettingsAsTheyAre()
    {
        Assert.Same(Configured, Configured.With(StoredPolicies.Of([])));
        Assert.Same(Configured, Configured.With(StoredPolicies.Of([Stored("gone", NoMythos, gateway: true) with { DeletedAt = Now }])));
    }

    [Fact]
    public void AStoredPolicyThatNoLongerParses_DeniesEverythingWhereItIsAttached_AndSaysWhy()
    {
        var stored = StoredPolicies.Of([Stored("broken", """{"Statement": {"Effect": "Alow", "Action": "*", "Resource": "*"}}""", organizations: "org_eu")]);

        var policies = Configured.With(stored);

        var verdict = Evaluate(policies, "org_eu", "llama", "eu-central");
        Assert.Equal((PolicyOutcome.ExplicitDeny, "UnreadableStoredPolicy"), (verdict.Evaluation.Outcome, verdict.Evaluation.Statement!.Sid));
        Assert.True(Evaluate(policies, "org_other", "llama", "eu-central").IsAllowed);
        var problem = Assert.Single(stored.Unreadable);
        Assert.Contains("stored policy broken", problem);
        Assert.Contains("Effect", problem);
    }

    [Fact]
    public void PutPolicy_RefusesADocumentWithMistakes_AndAnUnknownOrganisation()
    {
        var operations = new IdentityOperations(new FakeTimeProvider(Now));
        var snapshot = IdentitySnapshot.Build(IdentityData.Empty with { Organizations = [new Organization("org_eu", "EU", Now)] });

        var mistakes = Assert.Throws<PolicyException>(() => operations.PutPolicy(snapshot, "gha_x (admin)", "p", """{"Statement": {"Effect": "Allow"}}""", true, [], null));
        var missing = Assert.Throws<IdentityOperationException>(() => operations.PutPolicy(snapshot, "gha_x (admin)", "p", NoMythos, false, ["org_nowhere"], null));

        Assert.All(mistakes.Errors, e => Assert.Equal("stored policy p", e.File));
        Assert.Equal((IdentityOperationError.NotFound, "There is no organisation org_nowhere."), (missing.Error, missing.Message));
    }

    [Fact]
    public void PutAndDelete_AreAudited_AndADeletedPolicyCanBePutAgain()
    {
        var time = new FakeTimeProvider(Now);
        var operations = new IdentityOperations(time);
        var data = IdentityData.Empty with { Organizations = [new Organization("org_eu", "EU", Now)] };

        var put = operations.PutPolicy(IdentitySnapshot.Build(data), "gha_x (admin)", "no-mythos", NoMythos, false, ["org_eu", "org_eu"], "order 7");
        data = data.Apply(put.Change);
        time.Advance(TimeSpan.FromMinutes(1));
        var replaced = operations.PutPolicy(IdentitySnapshot.Build(data), "gha_x (admin)", "no-mythos", NoMythos, true, ["org_eu"], null);
        data = data.Apply(replaced.Change);
        var deleted = operations.DeletePolicy(IdentitySnapshot.Build(data), "gha_x (admin)", "no-mythos", "order lifted");
        data = data.Apply(deleted.Change);

        Assert.Equal(["org_eu"], put.Result.Organizations);
        var audit = put.Change.Audit.Concat(replaced.Change.Audit).Concat(deleted.Change.Audit).ToList();
        Assert.Equal(["policy.put", "policy.put", "policy.delete"], audit.Select(a => a.Action));
        Assert.StartsWith("documentSha256: - → ", audit[0].Changes);
        Assert.Contains("organizations: - → org_eu", audit[0].Changes);
        Assert.Equal("gateway: false → true", audit[1].Changes);
        Assert.Equal((Now, Now.AddMinutes(1)), (replaced.Result.CreatedAt, replaced.Result.ChangedAt));
        Assert.True(Assert.Single(data.Policies).IsDeleted);
        Assert.True(IdentitySnapshot.Build(data).Policies.IsEmpty);
        Assert.Throws<IdentityOperationException>(() => operations.DeletePolicy(IdentitySnapshot.Build(data), "gha_x (admin)", "no-mythos", null));
        var again = operations.PutPolicy(IdentitySnapshot.Build(data), "gha_x (admin)", "no-mythos", NoMythos, true, [], null);
        Assert.False(again.Result.IsDeleted);
        Assert.Equal([1, 2, 3, 4], new[] { put, replaced, deleted, again }.Select(o => o.Result.Version));
        Assert.False(IdentitySnapshot.Build(data.Apply(again.Change)).Policies.IsEmpty);
    }
}
