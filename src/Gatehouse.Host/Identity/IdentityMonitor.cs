using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Identity;

/// <summary>
/// Watches live denials for accounts that try to get around the gate: a KYC mismatch or the VPN
/// loophole raises a flag (the VPN loophole suspends, by default), and too many requests for
/// restricted models from outside their jurisdictions within the window suspend the account.
/// Denials are counted across the nodes (see <see cref="OutsideDenialCounter"/>); only a flag or
/// a status change is written, and it is applied to the snapshot before the denial is answered,
/// so the account's next request already sees it.
/// </summary>
internal sealed partial class IdentityMonitor(
    IdentityAdministration administration,
    IGatehouseStore store,
    ConfigurationState configurationState,
    OutsideDenialCounter outsideDenials,
    ILogger<IdentityMonitor> logger)
{
    public Task ObserveAsync(Decision decision)
    {
        if (decision.IsAllowed || decision.Principal is not { } principal)
        {
            return Task.CompletedTask;
        }
        var accountId = principal.Account.Id;
        var suspension = configurationState.Current.Identity.AutoSuspend;
        return decision.ReasonCode switch
        {
            ReasonCodes.BillingCountry => RaiseAsync(accountId, decision, "The account's billing country does not agree with the jurisdictions of the models it asks for.", AccountStatus.Flagged),
            ReasonCodes.CardCountry => RaiseAsync(accountId, decision, "The account's card country does not agree with the jurisdictions of the models it asks for.", AccountStatus.Flagged),
            ReasonCodes.RegisteredCountry => RaiseAsync(accountId, decision, "The account's registered country does not agree with the jurisdictions of the models it asks for.", AccountStatus.Flagged),
            ReasonCodes.VpnMismatch => RaiseAsync(accountId, decision,
                "Requests from inside a model's jurisdiction through a hosting or VPN network, while the account is billed outside it (the VPN loophole).",
                suspension.OnVpnMismatch ? AccountStatus.Suspended : AccountStatus.Flagged),
            ReasonCodes.GeoCountryRestricted or ReasonCodes.GeoEmbargoed when decision.Model is { IsRestricted: true } && suspension.OutsideDenials > 0 =>
                CountOutsideDenialAsync(accountId, decision, suspension.OutsideDenials, suspension.Window),
            _ => Task.CompletedTask,
        };
    }

    private async Task CountOutsideDenialAsync(string accountId, Decision decision, int threshold, TimeSpan window)
    {
        if (await outsideDenials.CountAsync(accountId, EvidenceOf(decision), threshold, window) is not { } reached)
        {
            return;
        }
        var summary = $"{reached.Count} requests for restricted models from outside their jurisdictions within {Engine.Configuration.Duration.Format(window)}.";
        await ChangeAsync(accountId, FlagReasons.RepeatedOutsideDenials, summary, reached, AccountStatus.Suspended);
    }

    private Task RaiseAsync(string accountId, Decision decision, string summary, AccountStatus status) =>
        ChangeAsync(accountId, decision.ReasonCode, summary, [EvidenceOf(decision)], status);

    private async Task ChangeAsync(string accountId, string reason, string summary, IReadOnlyList<FlagEvidence> evidence, AccountStatus status)
    {
        try
        {
            var flag = await administration.ApplyAsync(async snapshot =>
            {
                var open = await store.LoadFlagsAsync(new FlagFilter(AccountId: accountId, Open: true), CancellationToken.None);
                return administration.Operations.RaiseFlag(snapshot, open.FirstOrDefault(f => f.Reason == reason), accountId, reason, summary, evidence, status);
            }, CancellationToken.None);
            LogFlagRaised(flag.Id, accountId, reason, flag.Occurrences);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The denial itself stands; only its consequence for the account could not be recorded.
            LogFlagFailed(e, accountId, reason);
        }
    }

    private static FlagEvidence EvidenceOf(Decision decision) => new(
        decision.Id, decision.Time, decision.Client.ToString(), decision.Location?.Country, decision.Location?.NetworkTypeName ?? "unknown",
        decision.Location?.Asn ?? 0, decision.Location?.NetworkName, decision.Model?.Id ?? decision.RequestedModel, decision.ReasonCode, decision.Message);

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Flag {FlagId} on account {AccountId}: {Reason} (occurrence {Occurrences})")]
    private partial void LogFlagRaised(string flagId, string accountId, string reason, int occurrences);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Could not record a flag on account {AccountId} for {Reason}")]
    private partial void LogFlagFailed(Exception exception, string accountId, string reason);
}
