using System.CommandLine;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary>
/// <c>gatehouse policies list|show|put|delete</c>: policies kept in the store, which every
/// gateway sharing it applies beside its configured files. (<c>gatehouse policy test --stored</c> tests them.)
/// </summary>
internal static class PoliciesCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var list = admin.Lists(new Command("list", "List the stored policies and where they are attached."), json.ListPolicyView,
            _ => AdminPaths.Of("policies"),
            ["Id", "Attached to", "Changed"],
            p => [p.Id, AttachedTo(p), $"{AdminOutput.Time(p.ChangedAt)} by {p.ChangedBy}"]);

        var show = admin.Shows("policies", "stored policy", "Show a stored policy's document and attachments.", json.PolicyView, policy =>
        {
            admin.Context.Console.MarkupLineInterpolated($"[bold]{policy.Id}[/], attached to {AttachedTo(policy)}; changed {AdminOutput.Time(policy.ChangedAt)} by {policy.ChangedBy}");
            admin.Context.WriteLine(policy.Document);
        });

        var historyId = AdminArguments.Id("stored policy");
        var history = admin.Lists(new Command("history", "List every version of a stored policy, deleted or not (--json for the documents).") { historyId },
            json.ListPolicyView, parse => AdminPaths.Of("policies", parse.GetValue(historyId), "versions"),
            ["Version", "Changed", "Attached to", "Document SHA-256", "State"],
            v => [v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{AdminOutput.Time(v.ChangedAt)} by {v.ChangedBy}",
                AttachedTo(v), v.DocumentSha256[..16], v.Deleted ? "deleted" : "put"]);

        var putId = AdminArguments.Id("policy's id, e.g. keep-in-eu");
        var file = new Option<string>("--file", "-f") { Description = "The policy document (JSON), stored as it is.", Required = true };
        var gateway = new Option<bool>("--gateway") { Description = "Attach it to every request." };
        var organizations = new Option<string[]>("--org") { Description = "Attach it to this organisation's requests (org_…); repeat for several.", AllowMultipleArgumentsPerToken = false };
        var putComment = AdminArguments.Comment(required: false);
        var put = admin.Calls(new Command("put", "Store a policy under an id, replacing what it held, and attach it to the gateway and/or organisations; it applies from the next request on every gateway.")
            { putId, file, gateway, organizations, putComment }, json.PolicyView,
            async (parse, client, cancellationToken) => await client.PutAsync(AdminPaths.Of("policies", parse.GetValue(putId)),
                new PutPolicyRequest(await ReadDocumentAsync(parse.GetValue(file)!, cancellationToken), parse.GetValue(gateway), parse.GetValue(organizations), parse.GetValue(putComment)),
                json.PutPolicyRequest, json.PolicyView, cancellationToken),
            policy => admin.Context.Console.MarkupLineInterpolated($"Stored [bold]{policy.Id}[/], attached to {AttachedTo(policy)}."));

        var deleteId = AdminArguments.Id("stored policy");
        var deleteComment = AdminArguments.Comment(required: false);
        var delete = admin.Calls(new Command("delete", "Delete a stored policy: from the next request it applies nowhere.") { deleteId, deleteComment }, json.PolicyView,
            (parse, client, cancellationToken) => client.DeleteAsync(
                AdminPaths.Of("policies", parse.GetValue(deleteId)) + (parse.GetValue(deleteComment) is { } c ? $"?comment={Uri.EscapeDataString(c)}" : ""), json.PolicyView, cancellationToken),
            policy => admin.Context.Console.MarkupLineInterpolated($"Deleted [bold]{policy.Id}[/]."));

        return admin.AddTo(new Command("policies", "Manage the policies kept in the store (shared by every gateway on it).") { list, show, history, put, delete });
    }

    private static string AttachedTo(PolicyView policy) =>
        string.Join(", ", (policy.Gateway ? ["the gateway"] : Array.Empty<string>()).Concat(policy.Organizations));

    private static async Task<string> ReadDocumentAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdminCallException($"cannot read {path}: {e.Message}");
        }
    }
}
