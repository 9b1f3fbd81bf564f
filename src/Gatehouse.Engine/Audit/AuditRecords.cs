using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Audit;

/// <summary>What goes into the audit log for a decision and for an admin change.</summary>
public static class AuditRecords
{
    /// <param name="requestId">The id the caller got back in <c>request-id</c>.</param>
    public static AuditRecord ForDecision(Decision decision, string requestId) => new()
    {
        Time = decision.Time,
        Kind = AuditRecordKind.Decision,
        RequestId = requestId,
        DecisionId = decision.Id,
        KeyId = decision.Principal?.Key?.Id,
        AccountId = decision.Principal?.Account.Id,
        OrganizationId = decision.Principal?.Organization.Id,
        Client = decision.Client.Address?.ToString(),
        Country = decision.Location?.Country,
        NetworkType = decision.Location?.NetworkTypeName,
        RequestedModel = decision.RequestedModel,
        Model = decision.Model?.Id,
        Endpoint = decision.Endpoint?.Id,
        Region = decision.Endpoint?.Region,
        Effect = EnumNames<DecisionEffect>.Of(decision.Effect),
        ReasonCode = decision.ReasonCode,
        Layer = EnumNames<DecisionLayer>.Of(decision.Layer),
        Rule = decision.Rule,
        LicenseId = decision.License?.Id,
        LicenseNumber = decision.License?.Number,
        Detail = decision.Message,
    };

    public static AuditRecord ForAdminChange(AuditEntry entry) => new()
    {
        Time = entry.Time,
        Kind = AuditRecordKind.Admin,
        Actor = entry.Actor,
        Action = entry.Action,
        TargetId = entry.TargetId,
        Detail = entry.Changes,
        Comment = entry.Comment,
    };
}
