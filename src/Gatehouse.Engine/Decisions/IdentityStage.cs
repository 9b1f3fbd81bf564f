using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Licensing;
using Gatehouse.Engine.Models;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Layer 2, second part: whether this account may use this model — its review status, its
/// verification, the VPN loophole, and whether its billing, card and registered countries agree
/// with the model's jurisdictions — under the rule set of the model's classification.
/// </summary>
internal sealed class IdentityStage : IDecisionStage
{
    public DecisionLayer Layer => DecisionLayer.Identity;

    public StageResult Evaluate(DecisionContext context)
    {
        if (context.Request.Principal is not { } principal)
        {
            return StageResult.Continue;
        }
        var model = context.Model!;
        var account = principal.Account;
        var rules = model.IdentityRules;
        var embargo = context.Configuration.Geo.Embargo;
        var licensed = context.LiftsJurisdictions ? CountrySet.Everything : context.LicensedCountries?.Set;
        var finding = IdentityRules.Check(rules, principal.Facts, model, context.Location!, embargo, licensed);
        if (finding.ReasonCode is null)
        {
            context.Record(Layer, "identity.kyc", "allow", Describe(rules, account));
            if (licensed is not null && IdentityRules.Check(rules, principal.Facts, model, context.Location!, embargo, null) is { ReasonCode: not null } lifted)
            {
                RecordLifted(context, principal, lifted);
            }
            return StageResult.Continue;
        }
        if (finding.ReasonCode == ReasonCodes.AccountFlagged && principal.SanctionsFlag is { } sanctions)
        {
            context.Record(Layer, "identity.sanctions", "deny", $"{sanctions.Id}: {sanctions.Summary}");
            return StageResult.Deny(ReasonCodes.AccountFlagged, "identity.sanctions",
                $"Account {account.Id} is flagged for sanctions screening (flag {sanctions.Id}), so {model.Id} is refused until a compliance reviewer has looked at it. Contact your administrator.");
        }
        var (rule, detail, message) = Explain(finding, account, model, context.Location!, context.Request.Client);
        context.Record(Layer, rule, "deny", detail);
        return StageResult.Deny(finding.ReasonCode, rule, message);
    }

    /// <summary>Names the licence that let an account country through which the identity rules would otherwise refuse.</summary>
    private void RecordLifted(DecisionContext context, Principal principal, IdentityFinding lifted)
    {
        var country = lifted.Field switch
        {
            KycCountries.Card => principal.Account.Kyc.CardCountry,
            KycCountries.Registered => principal.Account.Kyc.RegisteredCountry,
            _ => principal.Account.Kyc.Billing?.Country,
        };
        if (country is not null && LicenseCoverage.InForce(principal.Licenses, context.Model!.Id, country, context.Now) is { } license)
        {
            context.License ??= license;
            context.Record(Layer, "license", "allow", $"{license} lifts {lifted.ReasonCode} for {country}");
        }
    }

    private static (string Rule, string Detail, string Message) Explain(IdentityFinding finding, Account account, ModelDefinition model, GeoLocation location, Networking.ClientAddress client)
    {
        const string Contact = "Contact your administrator.";
        switch (finding.ReasonCode)
        {
            case ReasonCodes.AccountFlagged:
                return ("identity.account", $"account {account.Id} has an open flag",
                    $"Account {account.Id} has been flagged for review, so {model.Id} is refused until a reviewer has looked at it. {Contact}");
            case ReasonCodes.Unverified:
                var state = account.Kyc.Verification == VerificationStatus.Rejected ? "was rejected at verification" : "is not verified";
                return ("identity.verification", $"account {account.Id} {state}",
                    $"{model.Id} requires a verified account, and account {account.Id} {state}. Ask your administrator to complete verification.");
            case ReasonCodes.VpnMismatch:
                var billing = account.Kyc.Billing!.Country;
                return ("identity.vpn_mismatch",
                    $"{client} is in {location.Country} through AS{location.Asn} {location.NetworkName}, a {location.NetworkTypeName} network, but the account is billed in {billing}",
                    $"{model.Id} is available only to customers in {AllowedNames(model)}. This request came through a {location.NetworkTypeName} network ({client}) " +
                    $"while account {account.Id} is billed in {Countries.NameOf(billing)}, so it is refused and the account is flagged for review. {Contact}");
        }
        var (what, verb, country) = finding.Field switch
        {
            KycCountries.Billing => ("billing", "billed in", account.Kyc.Billing?.Country),
            KycCountries.Card => ("card", "paying with a card issued in", account.Kyc.CardCountry),
            _ => ("registered", "registered in", account.Kyc.RegisteredCountry),
        };
        if (country is null)
        {
            return ("identity.kyc", $"no {what} country on file",
                $"{model.Id} is available only to accounts {verb} {AllowedNames(model)}, and account {account.Id} has no {what} country on file. Ask your administrator to complete the account's details.");
        }
        var where = $"{Countries.NameOf(country)} ({country})";
        return finding.Jurisdiction is { } refusing
            ? ("identity.kyc", $"{what} country {country} is in refused jurisdiction '{refusing.Key}'",
                $"{model.Id} is not available to accounts {verb} {where}; account {account.Id} is. {Contact}")
            : ("identity.kyc", $"{what} country {country} is outside {string.Join(", ", model.AllowedJurisdictions.Select(j => j.Key))}",
                $"{model.Id} is available only to accounts {verb} {AllowedNames(model)}; account {account.Id} is {verb} {where}. {Contact}");
    }

    private static string Describe(IdentityRuleSet rules, Account account)
    {
        var kyc = account.Kyc;
        return $"account {account.Id}: billing {kyc.Billing?.Country ?? "-"}, card {kyc.CardCountry ?? "-"}, registered {kyc.RegisteredCountry ?? "-"}, " +
            $"{EnumNames<VerificationStatus>.Of(kyc.Verification)}; checked: {CountryNamesByMask[(int)rules.Countries]}" +
            (rules.RequireVerification ? ", verification" : "") + (rules.VpnMismatch ? ", vpn mismatch" : "");
    }

    /// <summary>"billing, card country" and the like for every combination, worded once rather than per request.</summary>
    private static readonly string[] CountryNamesByMask = [.. Enumerable.Range(0, (int)KycCountries.All + 1).Select(mask => mask == 0
        ? "no countries"
        : string.Join(", ", new[] { (KycCountries.Billing, "billing"), (KycCountries.Card, "card"), (KycCountries.Registered, "registered") }
            .Where(c => (mask & (int)c.Item1) != 0).Select(c => c.Item2)) + " country")];

    private static string AllowedNames(ModelDefinition model) =>
        string.Join(" or ", model.AllowedJurisdictions.Select(j => j.DisplayName));
}

/// <summary>
/// What the identity rules found: nothing (<see cref="ReasonCode"/> null), or the reason with
/// the account's country at fault and the jurisdiction that refuses it (null when the country is
/// merely outside the allowed ones). A value, so that checking allocates nothing.
/// </summary>
internal readonly record struct IdentityFinding(string? ReasonCode, KycCountries Field = KycCountries.None, Jurisdiction? Jurisdiction = null)
{
    public static IdentityFinding None => default;
}

/// <summary>
/// The checks themselves, free of messages and reading only the principal's flattened facts and
/// the jurisdictions' bitsets, so the hot path neither allocates nor chases pointers.
/// </summary>
internal static class IdentityRules
{
    /// <param name="licensed">Countries an export licence lets this account's organisation use the model from; they count as inside its jurisdictions, never the embargo.</param>
    public static IdentityFinding Check(IdentityRuleSet rules, in AccountFacts facts, ModelDefinition model, GeoLocation location, IReadOnlyList<Jurisdiction> embargo, CountrySet? licensed)
    {
        if (rules.RefuseFlagged && facts.Status == AccountStatus.Flagged)
        {
            return new(ReasonCodes.AccountFlagged);
        }
        if (rules.RequireVerification && facts.Verification != VerificationStatus.Verified)
        {
            return new(ReasonCodes.Unverified);
        }
        // The VPN loophole: an address inside the jurisdiction, borrowed from a cloud or VPN
        // network, by an account that pays from outside it.
        if (rules.VpnMismatch && model.IsRestricted &&
            location.NetworkType is NetworkType.Hosting or NetworkType.Vpn &&
            model.AllowingJurisdiction(location) is not null &&
            facts.Billing != CountrySet.None && Jurisdictions.FirstContainingCountry(model.AllowedJurisdictions, facts.Billing) is null &&
            licensed?.Contains(facts.Billing) != true)
        {
            return new(ReasonCodes.VpnMismatch, KycCountries.Billing);
        }
        if ((rules.Countries & KycCountries.Billing) != 0 && CheckCountry(facts.Billing, KycCountries.Billing, ReasonCodes.BillingCountry, model, embargo, licensed) is { ReasonCode: not null } billingFinding)
        {
            return billingFinding;
        }
        if ((rules.Countries & KycCountries.Card) != 0 && CheckCountry(facts.Card, KycCountries.Card, ReasonCodes.CardCountry, model, embargo, licensed) is { ReasonCode: not null } cardFinding)
        {
            return cardFinding;
        }
        if ((rules.Countries & KycCountries.Registered) != 0 && CheckCountry(facts.Registered, KycCountries.Registered, ReasonCodes.RegisteredCountry, model, embargo, licensed) is { ReasonCode: not null } registeredFinding)
        {
            return registeredFinding;
        }
        return IdentityFinding.None;
    }

    /// <remarks>
    /// A missing country refuses only models limited to jurisdictions (fail closed); for the
    /// others there is nothing it could be inside of, and an embargo cannot be checked.
    /// </remarks>
    private static IdentityFinding CheckCountry(int country, KycCountries field, string reasonCode, ModelDefinition model, IReadOnlyList<Jurisdiction> embargo, CountrySet? licensed)
    {
        if (country == CountrySet.None)
        {
            return model.IsRestricted ? new(reasonCode, field) : IdentityFinding.None;
        }
        if (Jurisdictions.FirstContainingCountry(embargo, country) is { } embargoed)
        {
            return new(reasonCode, field, embargoed);
        }
        if (licensed?.Contains(country) == true)
        {
            return IdentityFinding.None;
        }
        if (Jurisdictions.FirstContainingCountry(model.DeniedJurisdictions, country) is { } refusing)
        {
            return new(reasonCode, field, refusing);
        }
        if (model.IsRestricted && Jurisdictions.FirstContainingCountry(model.AllowedJurisdictions, country) is null)
        {
            return new(reasonCode, field);
        }
        return IdentityFinding.None;
    }
}
