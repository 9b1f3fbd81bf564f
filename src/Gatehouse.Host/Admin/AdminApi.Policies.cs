using Gatehouse.Engine.Storage;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Admin;

/// <summary>
/// Policies kept in the store: put, read and deleted here, they apply beside the configured
/// files at the levels they are attached to, on every gateway that shares the store.
/// </summary>
internal static partial class AdminApi
{
    private const int MaxPolicyDocumentLength = 65_536;

    private static void MapPolicies(RouteGroupBuilder admin)
    {
        admin.MapGet("/policies", (IdentityState identity) =>
            identity.Current.Data.Policies.Where(p => !p.IsDeleted).Select(PolicyView.From).ToList()).WithMetadata(AdminAccess.Read);
        admin.MapGet("/policies/{id}", (string id, IdentityState identity) =>
            identity.Current.Data.Policies.FirstOrDefault(p => p.Id == id) is { IsDeleted: false } policy
                ? Results.Ok(PolicyView.From(policy))
                : NotFound($"There is no stored policy {id}.")).WithMetadata(AdminAccess.Read);
        admin.MapGet("/policies/{id}/versions", async (string id, IGatehouseStore store, CancellationToken cancellationToken) =>
            await store.LoadPolicyVersionsAsync(id, cancellationToken) is { Count: > 0 } versions
                ? Results.Ok(versions.Select(PolicyView.From).ToList())
                : NotFound($"No policy {id} was ever stored.")).WithMetadata(AdminAccess.Read);
        admin.MapPut("/policies/{id}", PutPolicyAsync).WithMetadata(AdminAccess.Manage);
        admin.MapDelete("/policies/{id}", async (string id, string? comment, HttpContext context, IdentityAdministration administration, CancellationToken cancellationToken) =>
        {
            var deleted = await administration.ApplyAsync(snapshot => administration.Operations.DeletePolicy(
                snapshot, AdminAuthentication.ActorOf(context), id, Optional(comment, "comment")), cancellationToken);
            return Results.Ok(PolicyView.From(deleted));
        }).WithMetadata(AdminAccess.Manage);
    }

    private static async Task<IResult> PutPolicyAsync(string id, PutPolicyRequest request, HttpContext context, IdentityAdministration administration,
        CancellationToken cancellationToken)
    {
        if (!OperatorChosenId().IsMatch(id))
        {
            throw Invalid("id", "must be lower-case letters, digits and '-', e.g. keep-in-eu");
        }
        var document = request.Document switch
        {
            null => throw Invalid("document", "is required: the policy document's JSON text, as a string"),
            { Length: > MaxPolicyDocumentLength } => throw Invalid("document", $"is {request.Document.Length} characters long; at most {MaxPolicyDocumentLength} are kept"),
            // Kept as given, not trimmed, so that the lines its errors name are the sender's.
            var text => text,
        };
        var organizations = (request.Organizations ?? []).Select((o, i) => Required(o, $"organizations[{i}]")).ToList();
        if (!request.Gateway && organizations.Count == 0)
        {
            // A policy attached nowhere would be stored and applied to nobody: almost surely a forgotten attachment.
            throw Invalid("organizations", "is empty and gateway is false: attach the policy to the gateway, to organisations, or both");
        }
        var policy = await administration.ApplyAsync(snapshot => administration.Operations.PutPolicy(
            snapshot, AdminAuthentication.ActorOf(context), id, document, request.Gateway, organizations, Optional(request.Comment, "comment")), cancellationToken);
        return Results.Ok(PolicyView.From(policy));
    }
}
