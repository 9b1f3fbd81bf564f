using System.CommandLine;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse accounts create|list</c>.</summary>
internal static class AccountsCommand
{
    public static Command Create(AdminOptions admin)
    {
        var organization = new Option<string>("--org") { Description = "The organisation the account belongs to (org_…).", Required = true };
        var name = new Option<string>("--name") { Description = "The account holder's name.", Required = true };
        var email = new Option<string?>("--email") { Description = "A contact address." };
        var create = new Command("create", "Create an account in an organisation.") { organization, name, email };
        create.SetAction((parse, cancellationToken) => admin.RunAsync(parse, async client =>
        {
            var created = await client.PostAsync("/admin/v1/accounts",
                new CreateAccountRequest(parse.GetValue(organization), parse.GetValue(name), parse.GetValue(email)),
                AdminJsonContext.Default.CreateAccountRequest, AdminJsonContext.Default.AccountView, cancellationToken);
            if (!admin.WriteJsonIfAsked(parse, created, AdminJsonContext.Default.AccountView))
            {
                admin.Context.Console.MarkupLineInterpolated($"Created account [bold]{created.Id}[/] ({created.Name}) in {created.OrganizationId}.");
            }
        }));

        var filter = new Option<string?>("--org") { Description = "Only accounts of this organisation." };
        var list = new Command("list", "List accounts.") { filter };
        list.SetAction((parse, cancellationToken) => admin.RunAsync(parse, async client =>
        {
            var query = parse.GetValue(filter) is { } org ? $"?organizationId={Uri.EscapeDataString(org)}" : "";
            var accounts = await client.GetAsync("/admin/v1/accounts" + query, AdminJsonContext.Default.ListAccountView, cancellationToken);
            if (!admin.WriteJsonIfAsked(parse, accounts, AdminJsonContext.Default.ListAccountView))
            {
                var table = new Table().AddColumns("Id", "Organisation", "Name", "Email", "Created");
                accounts.ForEach(a => table.AddRow(Markup.Escape(a.Id), Markup.Escape(a.OrganizationId), Markup.Escape(a.Name), Markup.Escape(a.Email ?? ""), a.CreatedAt.ToString("u")));
                admin.Context.Console.Write(table);
            }
        }));

        return admin.AddTo(new Command("accounts", "Manage accounts.") { create, list });
    }
}
