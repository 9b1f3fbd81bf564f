using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Layer 2, first part: the key (revoked, expired, used from outside its networks) and the
/// account's standing (suspended, closed). Runs before anything else, so such a caller is refused
/// whatever model it asks for and wherever it is.
/// </summary>
internal sealed class AccountStage : IDecisionStage
{
    public DecisionLayer Layer => DecisionLayer.Identity;

    public StageResult Evaluate(DecisionContext context)
    {
        if (context.Request.Principal is not { } principal)
        {
            context.Record(Layer, "identity.account", "none", "no key or account was named, so no identity rule can be applied");
            return StageResult.Continue;
        }
        if (principal.Key is { } key && CheckKey(context, key) is { IsDenial: true } denial)
        {
            return denial;
        }
        var account = principal.Account;
        var since = account.StatusChangedAt is { } changed ? $" since {changed:u}" : "";
        switch (account.Status)
        {
            case AccountStatus.Suspended:
                context.Record(Layer, "identity.account", "deny", $"account {account.Id} is suspended{since}: {account.StatusReason}");
                return StageResult.Deny(ReasonCodes.AccountSuspended, "identity.account",
                    $"Account {account.Id} is suspended{since}, so every request with its keys is refused until a reviewer reinstates it. Contact your administrator.");
            case AccountStatus.Closed:
                context.Record(Layer, "identity.account", "deny", $"account {account.Id} is closed{since}");
                return StageResult.Deny(ReasonCodes.AccountClosed, "identity.account",
                    $"Account {account.Id} is closed{since}; its keys no longer work. Contact your administrator.");
            case AccountStatus.Active or AccountStatus.Flagged when principal.SanctionsFlag is { } sanctions && context.Configuration.Identity.Sanctions.OnMatch == SanctionsMatchAction.Block:
                context.Record(Layer, "identity.sanctions", "deny", $"{sanctions.Id}: {sanctions.Summary}");
                return StageResult.Deny(ReasonCodes.SanctionsMatch, "identity.sanctions",
                    $"Account {account.Id} is on hold for sanctions screening, so every request with its keys is refused until a compliance reviewer " +
                    $"has decided (flag {sanctions.Id}). Contact your administrator.");
            default:
                context.Record(Layer, "identity.account", EnumNames<AccountStatus>.Of(account.Status), $"account {account.Id} of {principal.Organization.Id}");
                return StageResult.Continue;
        }
    }

    private StageResult CheckKey(DecisionContext context, ApiKeyRecord key)
    {
        if (key.RevokedAt is { } revoked)
        {
            context.Record(Layer, "identity.key", "deny", $"{key.Id} was revoked at {revoked:u}");
            return StageResult.Deny(ReasonCodes.KeyRevoked, "identity.key",
                $"The API key {key.Id} was revoked at {revoked:u}. Ask your administrator for a new key.");
        }
        if (key.IsExpiredAt(context.Now))
        {
            context.Record(Layer, "identity.key", "deny", $"{key.Id} expired at {key.ExpiresAt:u}");
            return StageResult.Deny(ReasonCodes.KeyExpired, "identity.key", key.ReplacedBy is { } successor
                ? $"The API key {key.Id} was replaced by {successor} when it was rotated, and its grace period ended at {key.ExpiresAt:u}. Use the new key."
                : $"The API key {key.Id} expired at {key.ExpiresAt:u}. Ask your administrator for a new key.");
        }
        if (!key.AllowedNetworks.IsEmpty && !(context.Request.Client.Address is { } address && key.AllowedNetworks.Contains(address)))
        {
            var client = context.Request.Client;
            context.Record(Layer, "identity.key", "deny", $"{client} is outside {key.Id}'s networks ({string.Join(", ", key.AllowedNetworks.Networks)})");
            return StageResult.Deny(ReasonCodes.KeyNetwork, "identity.key",
                $"The API key {key.Id} may be used only from the networks its administrator set, and this request came from {client}. Use the key from an allowed network or contact your administrator.");
        }
        context.Record(Layer, "identity.key", "valid", key.ExpiresAt is { } expires ? $"{key.Id}, valid until {expires:u}" : key.Id);
        return StageResult.Continue;
    }
}
