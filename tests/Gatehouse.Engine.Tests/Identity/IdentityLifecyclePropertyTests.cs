using System.Net;
using CsCheck;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Engine.Tests.Identity;

/// <summary>
/// No sequence of admin operations (create, rotate, revoke, suspend, reinstate, close, and time
/// passing) leaves a suspended or closed account, or a revoked or expired key, able to get a
/// request through — and every key that should work does. The operations are the ones the admin
/// API runs; the expectations come from a separate, deliberately simple model of the rules.
/// </summary>
public sealed class IdentityLifecyclePropertyTests
{
    private const int Accounts = 2;

    private static readonly GatewayConfiguration Configuration = ConfigurationLoader.Parse("""
        models:
          - id: open-model
        endpoints:
          - { id: e, model: open-model, provider: openai, baseUrl: "http://127.0.0.1:8000", region: local }
        """, "/test.yaml", _ => null).Configuration!;

    private enum Kind
    {
        CreateKey,
        CreateExpiringKey,
        Rotate,
        Revoke,
        Suspend,
        Reinstate,
        Close,
        Wait,
    }

    private sealed record Operation(Kind Kind, int Target, int Seconds);

    private static readonly Gen<Operation> Operations =
        Gen.Select(Gen.Enum<Kind>(), Gen.Int[0, 7], Gen.Int[0, 120], (kind, target, seconds) => new Operation(kind, target, seconds));

    private sealed class ExpectedKey(string token, string id, int account, DateTimeOffset? expiresAt)
    {
        public string Token { get; } = token;
        public string Id { get; } = id;
        public int Account { get; } = account;
        public DateTimeOffset? ExpiresAt { get; set; } = expiresAt;
        public bool Revoked { get; set; }
        public bool Rotated { get; set; }
    }

    [Fact]
    public void AnySequenceOfAdminOperations_NeverLetsARefusedKeyOrAccountThrough()
    {
        Operations.Array[1, 40].Sample(RunSequence, iter: 400);
    }

    private static void RunSequence(Operation[] sequence)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        var operations = new IdentityOperations(time);
        var pipeline = DecisionPipeline.CreateDefault(FixedLocator.In("US"), time);
        var snapshot = IdentitySnapshot.Empty;
        void Apply(IdentityChange change) => snapshot = IdentitySnapshot.Build(snapshot.Data.Apply(change));

        var organization = operations.CreateOrganization("test", "Org", null, null);
        Apply(organization.Change);
        var accountIds = new string[Accounts];
        var status = new AccountStatus[Accounts];
        for (var i = 0; i < Accounts; i++)
        {
            var created = operations.CreateAccount(snapshot, "test", organization.Result.Id, $"a{i}", null, KycProfile.None);
            Apply(created.Change);
            accountIds[i] = created.Result.Id;
        }
        var keys = new List<ExpectedKey>();

        foreach (var op in sequence)
        {
            var account = op.Target % Accounts;
            var key = keys.Count == 0 ? null : keys[op.Target % keys.Count];
            var now = time.GetUtcNow();
            try
            {
                switch (op.Kind)
                {
                    case Kind.CreateKey or Kind.CreateExpiringKey:
                        DateTimeOffset? expires = op.Kind == Kind.CreateExpiringKey ? now.AddSeconds(op.Seconds + 1) : null;
                        var created = operations.CreateKey(snapshot, "test", accountIds[account], "k", expires, NetworkSet.None, null);
                        Assert.NotEqual(AccountStatus.Closed, status[account]);
                        Apply(created.Change);
                        keys.Add(new ExpectedKey(created.Result.Key, created.Result.Record.Id, account, expires));
                        break;
                    case Kind.Rotate when key is not null:
                        var rotated = operations.RotateKey(snapshot, "test", key.Id, TimeSpan.FromSeconds(op.Seconds));
                        Assert.False(key.Revoked || key.Rotated || key.ExpiresAt <= now, "a revoked, rotated or expired key was rotated");
                        Apply(rotated.Change);
                        keys.Add(new ExpectedKey(rotated.Result.Key, rotated.Result.Record.Id, key.Account, key.ExpiresAt));
                        var graceEnd = now.AddSeconds(op.Seconds);
                        key.ExpiresAt = key.ExpiresAt is { } e && e < graceEnd ? e : graceEnd;
                        key.Rotated = true;
                        break;
                    case Kind.Revoke when key is not null:
                        Apply(operations.RevokeKey(snapshot, "test", key.Id, null).Change);
                        Assert.False(key.Revoked, "a key was revoked twice");
                        key.Revoked = true;
                        break;
                    case Kind.Suspend or Kind.Reinstate or Kind.Close:
                        var target = op.Kind switch { Kind.Suspend => AccountStatus.Suspended, Kind.Reinstate => AccountStatus.Active, _ => AccountStatus.Closed };
                        Apply(operations.ChangeAccountStatus(snapshot, "test", accountIds[account], target, "because").Change);
                        Assert.NotEqual(AccountStatus.Closed, status[account]);
                        status[account] = target;
                        break;
                    case Kind.Wait:
                        time.Advance(TimeSpan.FromSeconds(op.Seconds));
                        break;
                }
            }
            catch (IdentityOperationException)
            {
                // Refused operations change nothing; the checks below prove it.
            }

            now = time.GetUtcNow();
            foreach (var expected in keys)
            {
                var principal = snapshot.Authenticate(expected.Token);
                Assert.NotNull(principal);
                var decision = pipeline.Decide(new DecisionRequest(ClientAddress.Known(IPAddress.Loopback), principal, "open-model", null), Configuration);
                var shouldWork = !expected.Revoked && !(expected.ExpiresAt <= now) && status[expected.Account] == AccountStatus.Active;
                Assert.True(shouldWork == decision.IsAllowed,
                    $"key {expected.Id} (revoked {expected.Revoked}, expires {expected.ExpiresAt:u}, account {status[expected.Account]}) at {now:u}: {decision.ReasonCode}");
            }
        }
    }
}
