using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Gatehouse.Host.Admin;
using Xunit.Abstractions;

namespace Gatehouse.Host.Tests.Cluster;

/// <summary>
/// A change made through one node (suspension, revocation, licence, kill switch, stored policy) reaches the other within a second, through PostgreSQL's
/// LISTEN/NOTIFY; a key's rate limit holds across both nodes together, through Redis; both
/// nodes' decisions go into one audit chain that verifies.
/// </summary>
public sealed class TwoNodeTests(TwoNodes nodes, ITestOutputHelper output) : IClassFixture<TwoNodes>
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    /// <summary>Waits until B serves <paramref name="key"/>, made through A: B has learnt of it.</summary>
    private Task BKnowsAsync(string key, string model = TwoNodes.Open, string from = TwoNodes.UnitedStates) =>
        Support.Eventually.TrueAsync(async () => (await TwoNodes.SendAsync(nodes.B, key, model, from)).Status == HttpStatusCode.OK, seconds: 1);

    /// <summary>B serves the key first; then <paramref name="change"/> goes through A, and B must refuse within a second.</summary>
    private async Task AssertBRefusesWithinASecondAsync(string key, string model, string from, Func<Task> change, string reason, HttpStatusCode status = HttpStatusCode.Forbidden)
    {
        await BKnowsAsync(key, model, from);

        await change();
        var since = Stopwatch.StartNew();
        Support.GateCalls.Answer answer;
        while ((answer = await TwoNodes.SendAsync(nodes.B, key, model, from)).Status == HttpStatusCode.OK && since.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }
        var elapsed = since.Elapsed;

        output.WriteLine($"{reason}: B refused {elapsed.TotalMilliseconds:F0} ms after A's change returned");
        Assert.Equal((status, reason), (answer.Status, answer.Reason));
        Assert.True(elapsed < Propagation, $"B refused only after {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task AccountSuspendedThroughA_IsRefusedByB_WithinASecond()
    {
        var (_, accountId, key) = await TwoNodes.CallerAsync(nodes.A);

        await AssertBRefusesWithinASecondAsync(key.Key, TwoNodes.Open, TwoNodes.UnitedStates,
            () => nodes.A.PostAsync($"/admin/v1/accounts/{accountId}/suspend", new CommentRequest("two-node test"), AdminJsonContext.Default.AccountView),
            "identity.account_suspended");
    }

    [Fact]
    public async Task KeyRevokedThroughA_IsRefusedByB_WithinASecond()
    {
        var (_, _, key) = await TwoNodes.CallerAsync(nodes.A);

        await AssertBRefusesWithinASecondAsync(key.Key, TwoNodes.Open, TwoNodes.UnitedStates,
            () => nodes.A.PostAsync($"/admin/v1/keys/{key.Id}/revoke", new CommentRequest("two-node test"), AdminJsonContext.Default.ApiKeyView),
            "identity.key_revoked", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LicenseRevokedThroughA_IsRefusedByB_WithinASecond()
    {
        var (organizationId, _, key) = await TwoNodes.CallerAsync(nodes.A);
        var license = await nodes.A.PostAsync("/admin/v1/licenses",
            new GrantLicenseRequest($"GB-{Guid.NewGuid():n}", organizationId, [TwoNodes.Restricted], ["GB"], ValidTo: TimeProvider.System.GetUtcNow().AddDays(30)), AdminJsonContext.Default.LicenseView);

        await AssertBRefusesWithinASecondAsync(key.Key, TwoNodes.Restricted, TwoNodes.UnitedKingdom,
            () => nodes.A.PostAsync($"/admin/v1/licenses/{license.Id}/revoke", new CommentRequest("two-node test"), AdminJsonContext.Default.LicenseView),
            "license.expired");
    }

    [Fact]
    public async Task KillSwitchOnA_StopsB_WithinASecond_AndEnablingOnAResumesB()
    {
        var (_, _, key) = await TwoNodes.CallerAsync(nodes.A);
        try
        {
            await AssertBRefusesWithinASecondAsync(key.Key, TwoNodes.Restricted, TwoNodes.UnitedStates,
                () => nodes.A.PostAsync($"/admin/v1/models/{TwoNodes.Restricted}/disable", new DisableModelRequest("two-node test"), AdminJsonContext.Default.ModelView),
                "model.disabled");
        }
        finally
        {
            await nodes.A.PostAsync($"/admin/v1/models/{TwoNodes.Restricted}/enable", new CommentRequest("two-node test"), AdminJsonContext.Default.ModelView);
        }

        await Support.Eventually.TrueAsync(async () => (await TwoNodes.SendAsync(nodes.B, key.Key, TwoNodes.Restricted)).Status == HttpStatusCode.OK, seconds: 1);
    }

    [Fact]
    public async Task PolicyPutThroughA_IsAppliedByB_WithinASecond_AndDeletingItThroughAResumesB()
    {
        var (organizationId, _, key) = await TwoNodes.CallerAsync(nodes.A);
        var policy = new PutPolicyRequest($$"""
            {"Statement": [
              {"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"},
              {"Sid": "NoOpenModel", "Effect": "Deny", "Action": "model:Invoke", "Resource": "model/{{TwoNodes.Open}}"}
            ]}
            """, Organizations: [organizationId]);
        var id = $"two-node-{Guid.NewGuid():n}";

        await AssertBRefusesWithinASecondAsync(key.Key, TwoNodes.Open, TwoNodes.UnitedStates, async () =>
        {
            using var put = await nodes.A.Admin.PutAsJsonAsync($"/admin/v1/policies/{id}", policy);
            put.EnsureSuccessStatusCode();
        }, "policy.explicit_deny");

        using var deleted = await nodes.A.Admin.DeleteAsync($"/admin/v1/policies/{id}");
        deleted.EnsureSuccessStatusCode();
        await BKnowsAsync(key.Key);
    }

    [Fact]
    public async Task RateLimitOfNPerMinute_HoldsAcrossBothNodesTogether()
    {
        const int Limit = 10;
        var (_, _, key) = await TwoNodes.CallerAsync(nodes.A, new RateLimitView(Limit, "1m"));
        await Support.Eventually.TrueAsync(async () => (await TwoNodes.SendAsync(nodes.B, key.Key, TwoNodes.Open)).Status != HttpStatusCode.Unauthorized, seconds: 1);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3 * Limit; i++)
        {
            statuses.Add((await TwoNodes.SendAsync(i % 2 == 0 ? nodes.A : nodes.B, key.Key, TwoNodes.Open)).Status);
        }

        // The request that found B knowing the key counted too.
        Assert.Equal(Limit - 1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3 * Limit - (Limit - 1), statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.All(statuses.Skip(Limit - 1), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }

    [Fact]
    public async Task BothNodesDecisions_GoIntoOneChain_ThatVerifiesFromEitherNode()
    {
        var (_, accountId, key) = await TwoNodes.CallerAsync(nodes.A);
        await BKnowsAsync(key.Key);
        var answered = new List<string>();
        await Task.WhenAll(new[] { nodes.A, nodes.B }.Select(async node =>
        {
            for (var i = 0; i < 50; i++)
            {
                var answer = await TwoNodes.SendAsync(node, key.Key, i % 2 == 0 ? TwoNodes.Open : TwoNodes.Restricted, i % 3 == 0 ? TwoNodes.UnitedKingdom : TwoNodes.UnitedStates);
                lock (answered)
                {
                    answered.Add(answer.RequestId);
                }
            }
        }));

        var recorded = new List<string>();
        var after = 0L;
        AuditRecordPage page;
        do
        {
            page = (await nodes.B.Admin.GetFromJsonAsync($"/admin/v1/audit/records?accountId={accountId}&after={after}&limit=100", AdminJsonContext.Default.AuditRecordPage))!;
            recorded.AddRange(page.Records.Select(r => r.RequestId!));
            after = page.Records.Count == 0 ? after : page.Records[^1].Sequence;
        }
        while (page.Records.Count > 0);
        var fromA = (await nodes.A.Admin.GetFromJsonAsync("/admin/v1/audit/verify", AdminJsonContext.Default.AuditVerification))!;
        var fromB = (await nodes.B.Admin.GetFromJsonAsync("/admin/v1/audit/verify", AdminJsonContext.Default.AuditVerification))!;

        Assert.Equal(100, answered.Count);
        Assert.Subset(recorded.ToHashSet(), answered.ToHashSet());
        Assert.Equal(recorded.Count, recorded.Distinct().Count());
        Assert.True(fromA.Intact, fromA.Summary);
        Assert.True(fromB.Intact, fromB.Summary);
    }
}
