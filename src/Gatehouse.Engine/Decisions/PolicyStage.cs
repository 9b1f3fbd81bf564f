using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Policy;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Layer 3: <c>model:Invoke</c> under the gateway's and the caller's organisation's policies,
/// configured and stored, asked once per endpoint routing chose, with the endpoint's region as
/// <c>gate:EndpointRegion</c>.
/// The endpoints no policy set refuses stay, in order (so a failover never leaves them). When
/// none stays, the refusal is a residency one if the policies would allow the model in another
/// configured region, and the deciding statement's otherwise.
/// </summary>
internal sealed class PolicyStage(IStoredPolicies stored) : IDecisionStage
{
    /// <summary>One request per thread, refilled for each evaluation, so that judging allocates nothing.</summary>
    [ThreadStatic]
    private static PolicyRequest? t_request;

    public DecisionLayer Layer => DecisionLayer.Policy;

    public StageResult Evaluate(DecisionContext context)
    {
        var policies = stored.Effective(context.Configuration.Policies);
        var organization = context.Request.Principal?.Organization.Id;
        if (!policies.AppliesTo(organization))
        {
            return StageResult.Continue;
        }
        var request = Fill(context);
        var model = context.Model!;
        List<EndpointDefinition>? allowed = null;
        PolicyVerdict? first = null;
        foreach (var endpoint in context.Endpoints)
        {
            request.EndpointRegion = endpoint.Region;
            var verdict = policies.Evaluate(request, organization);
            context.Record(Layer, "policy.invoke", verdict.IsAllowed ? "allow" : "deny", $"{endpoint.Id} in {endpoint.Region}: {verdict}");
            if (context.Request.Explains)
            {
                RecordMatches(context, policies, organization, request, endpoint);
            }
            if (verdict.IsAllowed)
            {
                (allowed ??= []).Add(endpoint);
                continue;
            }
            first ??= verdict;
        }
        if (allowed is not null)
        {
            context.Endpoints = allowed;
            return StageResult.Continue;
        }
        var refusal = first!.Value;
        if (AllowedInAnotherRegion(policies, organization, request, context))
        {
            var regions = string.Join(", ", context.Endpoints.Select(e => e.Region).Distinct());
            return StageResult.Deny(ReasonCodes.ResidencyNoAllowedEndpoint, "policy.invoke",
                $"{model.Id} is served here only from {regions}, and the policies that apply to this request allow none of those regions. Contact your administrator.");
        }
        return refusal.Evaluation.Outcome == PolicyOutcome.ExplicitDeny
            ? StageResult.Deny(ReasonCodes.PolicyExplicitDeny, "policy.invoke",
                $"{model.Id} is refused by policy statement {refusal.Evaluation.Statement} of {refusal.Level}. Contact your administrator.")
            : StageResult.Deny(ReasonCodes.PolicyNotAllowed, "policy.invoke",
                $"No statement of {refusal.Level} allows {model.Id} for this request, and what no policy allows is refused. Contact your administrator.");
    }

    /// <summary>Every statement of every set that applies that matched the request at this endpoint, in evaluation order.</summary>
    private static void RecordMatches(DecisionContext context, PolicySettings policies, string? organization, PolicyRequest request, EndpointDefinition endpoint)
    {
        foreach (var (set, level) in new[] { (policies.Gateway.HasStatements ? policies.Gateway : null, "gateway"), (policies.ForOrganization(organization), "organisation") })
        {
            if (set is null)
            {
                continue;
            }
            var explanation = set.Explain(request);
            foreach (var statement in explanation.Matched)
            {
                var deciding = statement == explanation.DecidingStatement ? ", deciding" : "";
                context.Record(DecisionLayer.Policy, "policy.statement", statement.Effect == PolicyEffect.Allow ? "allow" : "deny",
                    $"{endpoint.Id}: {statement} matched ({level}{deciding})");
            }
        }
    }

    /// <summary>Whether the same request would be allowed from an endpoint in any other configured region: then the region is what refuses it.</summary>
    private static bool AllowedInAnotherRegion(PolicySettings policies, string? organization, PolicyRequest request, DecisionContext context)
    {
        foreach (var region in context.Configuration.Models.Regions)
        {
            request.EndpointRegion = region;
            if (policies.Evaluate(request, organization).IsAllowed)
            {
                return true;
            }
        }
        return false;
    }

    private static PolicyRequest Fill(DecisionContext context)
    {
        var request = t_request ??= new PolicyRequest();
        request.Clear();
        var model = context.Model!;
        var location = context.Location;
        var principal = context.Request.Principal;
        request.Action = PolicyActions.ModelInvoke;
        request.Resource = model.PolicyResource;
        request.Model = model.Id;
        request.ModelClassification = model.Classification;
        request.CurrentTime = context.Now;
        request.CallerCountry = location?.Country;
        request.CallerNetworkType = location?.NetworkTypeName;
        request.CallerAsn = location is { Asn: > 0 } ? location.Asn : null;
        request.CallerIp = context.Request.Client.Address;
        if (principal is not null)
        {
            var kyc = principal.Account.Kyc;
            request.Organization = principal.Organization.Id;
            request.BillingCountry = kyc.Billing?.Country;
            request.CardCountry = kyc.CardCountry;
            request.RegisteredCountry = kyc.RegisteredCountry;
            request.IdentityVerified = kyc.Verification == Identity.VerificationStatus.Verified;
            request.LicensedCountries = context.LicensedCountries?.Codes;
        }
        return request;
    }
}
