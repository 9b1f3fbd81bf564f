using System.Globalization;
using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Audit;

namespace Gatehouse.Host.Admin;

/// <summary>The hash-chained audit log: query it page by page, and verify it where it is stored.</summary>
internal static partial class AdminApi
{
    private static void MapAuditLog(RouteGroupBuilder admin)
    {
        admin.MapGet("/audit/records", QueryAuditLogAsync).WithMetadata(AdminAccess.Read);
        admin.MapGet("/audit/verify", async (IAuditLogStore store, AuditWriter writer, CancellationToken cancellationToken) =>
            Results.Ok(await AuditVerifier.VerifyAsync(store.ReadAuditAsync(cancellationToken), writer.Head, cancellationToken))).WithMetadata(AdminAccess.Read);
    }

    private static async Task<IResult> QueryAuditLogAsync(HttpRequest request, IAuditLogStore store, CancellationToken cancellationToken)
    {
        var query = request.Query;
        string? Text(string name) => string.IsNullOrEmpty(query[name]) ? null : query[name].ToString();
        DateTimeOffset? Time(string name) => Text(name) is not { } text
            ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : throw Invalid(name, $"'{text}' is not a time; write e.g. 2026-11-24 or 2026-11-24T12:00:00Z");
        long Number(string name, long fallback, long min, long max) => Text(name) is not { } text
            ? fallback
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw Invalid(name, $"must be a whole number from {min} to {max}");
        AuditRecordKind? kind = Text("kind") is not { } kindName
            ? null
            : EnumNames<AuditRecordKind>.TryParse(kindName, out var parsed) ? parsed : throw Invalid("kind", "must be decision, admin or checkpoint");

        var limit = (int)Number("limit", 100, 1, MaxAuditPage);
        var records = await store.QueryAuditAsync(new AuditQuery(
            After: Number("after", 0, 0, long.MaxValue),
            Limit: limit,
            From: Time("from"),
            To: Time("to"),
            Kind: kind,
            AccountId: Text("accountId"),
            OrganizationId: Text("organizationId"),
            Country: Text("country")?.ToUpperInvariant(),
            ReasonCode: Text("reason"),
            Effect: Text("effect")), cancellationToken);
        return Results.Ok(new AuditRecordPage(records, records.Count == limit ? records[^1].Sequence : null));
    }
}
