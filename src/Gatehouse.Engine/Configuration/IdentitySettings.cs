using System.Collections.Frozen;

namespace Gatehouse.Engine.Configuration;

/// <summary>Layer 2: which identity checks apply to which model classification, and when accounts are suspended automatically.</summary>
public sealed class IdentitySettings
{
    public static IdentitySettings Default { get; } = new()
    {
        Classifications = new Dictionary<string, IdentityRuleSet> { [IdentityRuleSet.RestrictedClassification] = IdentityRuleSet.Restricted }
            .ToFrozenDictionary(StringComparer.Ordinal),
        AutoSuspend = AutoSuspendSettings.Default,
        Sanctions = SanctionsSettings.Default,
    };

    /// <summary>Rule sets by model classification; a classification not named here gets <see cref="IdentityRuleSet.Other"/>.</summary>
    public required FrozenDictionary<string, IdentityRuleSet> Classifications { get; init; }

    public required AutoSuspendSettings AutoSuspend { get; init; }

    public required SanctionsSettings Sanctions { get; init; }

    public IdentityRuleSet RulesFor(string classification) =>
        Classifications.TryGetValue(classification, out var rules) ? rules : IdentityRuleSet.Other;
}

/// <summary>The KYC facts an account's country must agree with the model's jurisdictions on.</summary>
[Flags]
public enum KycCountries
{
    None = 0,
    Billing = 1,
    Card = 2,
    Registered = 4,
    All = Billing | Card | Registered,
}

/// <param name="Countries">Which of the account's countries must lie in the model's allowed jurisdictions, and outside the embargo and its denied ones.</param>
/// <param name="RequireVerification">Only verified accounts may use the model.</param>
/// <param name="VpnMismatch">Refuse a caller placed inside the jurisdiction through a hosting or VPN network whose billing country is outside it.</param>
/// <param name="RefuseFlagged">Refuse accounts with an open flag until a reviewer has looked.</param>
public sealed record IdentityRuleSet(KycCountries Countries, bool RequireVerification, bool VpnMismatch, bool RefuseFlagged)
{
    public const string RestrictedClassification = "restricted";

    /// <summary>What the <c>restricted</c> classification gets unless the file says otherwise: every check.</summary>
    public static IdentityRuleSet Restricted { get; } = new(KycCountries.All, RequireVerification: true, VpnMismatch: true, RefuseFlagged: true);

    /// <summary>
    /// Every other classification: the countries are checked against embargoes and denied
    /// jurisdictions (and allowed ones, where the model has them), nothing more.
    /// </summary>
    public static IdentityRuleSet Other { get; } = new(KycCountries.All, RequireVerification: false, VpnMismatch: false, RefuseFlagged: false);
}

/// <param name="OutsideDenials">Suspend an account after this many requests for restricted models refused because the caller was outside their jurisdictions; 0 never.</param>
/// <param name="Window">The time those denials must fall within.</param>
/// <param name="OnVpnMismatch">Suspend at the first <c>identity.vpn_mismatch</c>.</param>
public sealed record AutoSuspendSettings(int OutsideDenials, TimeSpan Window, bool OnVpnMismatch)
{
    public static AutoSuspendSettings Default { get; } = new(10, TimeSpan.FromHours(1), OnVpnMismatch: true);
}

public enum SanctionsMatchAction
{
    /// <summary>Every request of the account is refused (<c>identity.sanctions_match</c>) until a reviewer decides.</summary>
    Block,

    /// <summary>The account is flagged: models whose classification refuses flagged accounts are refused until a reviewer decides.</summary>
    Flag,
}

/// <param name="Threshold">The screening score (0–1) from which a name counts as a match.</param>
/// <param name="OnMatch">What a match does to the account while it waits for review.</param>
public sealed record SanctionsSettings(double Threshold, SanctionsMatchAction OnMatch)
{
    public static SanctionsSettings Default { get; } = new(Sanctions.SanctionsIndex.DefaultThreshold, SanctionsMatchAction.Block);
}
