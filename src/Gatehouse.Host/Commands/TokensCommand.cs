using System.CommandLine;
using Gatehouse.Engine.Identity;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse tokens create|list|revoke</c>: the admin API's own bearer tokens.</summary>
internal static class TokensCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var role = new Option<string>("--role")
        {
            Description = "admin manages everything; reviewer reads everything and works the flag queue; auditor reads everything and changes nothing.",
            Required = true,
        };
        role.AcceptOnlyFromAmong([.. AdminRoles.All]);
        var name = new Option<string>("--name") { Description = "Who or what holds the token, e.g. alice or the compliance dashboard.", Required = true };
        var create = admin.Calls(new Command("create", "Create an admin token. The token is shown once, now.") { role, name }, json.CreatedAdminToken,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("tokens"), new CreateAdminTokenRequest(parse.GetValue(name), parse.GetValue(role)),
                json.CreateAdminTokenRequest, json.CreatedAdminToken, cancellationToken),
            created => admin.WriteSecretOnce($"Created {created.Role} token [bold]{created.Id}[/] ({created.Name}).", "token", created.Token));

        var list = admin.Lists(new Command("list", "List admin tokens (their ids, never the secrets)."), json.ListAdminTokenView, _ => AdminPaths.Of("tokens"),
            ["Id (prefix)", "Role", "Name", "Created", "Revoked"],
            t => [t.Id, t.Role, t.Name, AdminOutput.Time(t.CreatedAt), AdminOutput.Time(t.RevokedAt)]);

        var id = AdminArguments.Id("token (its gha_… prefix, as tokens list shows it)");
        var revoke = admin.Calls(new Command("revoke", "Revoke an admin token at once, for good.") { id }, json.AdminTokenView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("tokens", parse.GetValue(id), "revoke"), new CommentRequest(null),
                json.CommentRequest, json.AdminTokenView, cancellationToken),
            token => admin.Context.Console.MarkupLineInterpolated($"Revoked {token.Role} token [bold]{token.Id}[/] ({token.Name}) at {AdminOutput.Time(token.RevokedAt)}."));

        return admin.AddTo(new Command("tokens", "Manage admin API tokens.") { create, list, revoke });
    }
}
