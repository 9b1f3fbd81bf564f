using System.CommandLine;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse orgs create|list</c>.</summary>
internal static class OrganizationsCommand
{
    public static Command Create(AdminOptions admin)
    {
        var name = new Option<string>("--name") { Description = "The organisation's name.", Required = true };
        var create = new Command("create", "Create an organisation.") { name };
        create.SetAction((parse, cancellationToken) => admin.RunAsync(parse, async client =>
        {
            var created = await client.PostAsync("/admin/v1/organizations", new CreateOrganizationRequest(parse.GetValue(name)),
                AdminJsonContext.Default.CreateOrganizationRequest, AdminJsonContext.Default.OrganizationView, cancellationToken);
            if (!admin.WriteJsonIfAsked(parse, created, AdminJsonContext.Default.OrganizationView))
            {
                admin.Context.Console.MarkupLineInterpolated($"Created organisation [bold]{created.Id}[/] ({created.Name}).");
            }
        }));

        var list = new Command("list", "List organisations.");
        list.SetAction((parse, cancellationToken) => admin.RunAsync(parse, async client =>
        {
            var organizations = await client.GetAsync("/admin/v1/organizations", AdminJsonContext.Default.ListOrganizationView, cancellationToken);
            if (!admin.WriteJsonIfAsked(parse, organizations, AdminJsonContext.Default.ListOrganizationView))
            {
                var table = new Table().AddColumns("Id", "Name", "Created");
                organizations.ForEach(o => table.AddRow(Markup.Escape(o.Id), Markup.Escape(o.Name), o.CreatedAt.ToString("u")));
                admin.Context.Console.Write(table);
            }
        }));

        return admin.AddTo(new Command("orgs", "Manage organisations.") { create, list });
    }
}
