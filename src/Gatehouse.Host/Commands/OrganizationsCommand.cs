using System.CommandLine;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse orgs create|list|show|update</c>.</summary>
internal static class OrganizationsCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var fields = new Fields(creating: true);
        var create = admin.Calls(new Command("create", "Create an organisation.") { fields.Name, fields.LegalName, fields.Country, fields.AcceptsSubstitutes }, json.OrganizationView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("organizations"),
                new CreateOrganizationRequest(parse.GetValue(fields.Name), parse.GetValue(fields.LegalName), parse.GetValue(fields.Country), parse.GetValue(fields.AcceptsSubstitutes)),
                json.CreateOrganizationRequest, json.OrganizationView, cancellationToken),
            created => admin.Context.Console.MarkupLineInterpolated($"Created organisation [bold]{created.Id}[/] ({created.Name})."));

        var list = admin.Lists(new Command("list", "List organisations."), json.ListOrganizationView, _ => AdminPaths.Of("organizations"),
            ["Id", "Name", "Legal name", "Country", "Created"],
            o => [o.Id, o.Name, o.LegalName, o.RegisteredCountry, AdminOutput.Time(o.CreatedAt)]);

        var show = admin.Shows("organizations", "organisation (org_…)", "Show an organisation.", json.OrganizationView, organization => Write(admin, organization));

        var updateId = AdminArguments.Id("organisation (org_…)");
        var changes = new Fields(creating: false);
        var update = admin.Calls(AdminArguments.WithChanges(new Command("update", "Change an organisation's names or country; an empty value clears an optional one.") { updateId },
                changes.Name, changes.LegalName, changes.Country, changes.AcceptsSubstitutes), json.OrganizationView,
            (parse, client, cancellationToken) => client.PatchAsync(AdminPaths.Of("organizations", parse.GetValue(updateId)),
                new UpdateOrganizationRequest(parse.GetValue(changes.Name), parse.GetValue(changes.LegalName), parse.GetValue(changes.Country), parse.GetValue(changes.AcceptsSubstitutes)),
                json.UpdateOrganizationRequest, json.OrganizationView, cancellationToken),
            organization => Write(admin, organization));

        return admin.AddTo(new Command("orgs", "Manage organisations.") { create, list, show, update });
    }

    private static void Write(AdminOptions admin, OrganizationView organization) => AdminOutput.WriteDetails(admin.Context.Console,
        ("Id", organization.Id),
        ("Name", organization.Name),
        ("Legal name", organization.LegalName),
        ("Registered country", organization.RegisteredCountry),
        ("Accepts substitutes", organization.AcceptsSubstitutes ? "yes" : "no"),
        ("Created", AdminOutput.Time(organization.CreatedAt)));

    /// <summary>The options create and update share; only create requires the name.</summary>
    private sealed class Fields(bool creating)
    {
        public Option<string?> Name { get; } = new("--name") { Description = "The name people use for the organisation.", Required = creating };
        public Option<string?> LegalName { get; } = new("--legal-name") { Description = "The name in the company register, which sanctions lists use." };
        public Option<string?> Country { get; } = new("--country") { Description = "Where it is registered: an ISO 3166-1 alpha-2 code such as DE." };
        public Option<bool?> AcceptsSubstitutes { get; } = new("--accept-substitutes") { Description = "true: a model refused for jurisdiction reasons may be served by its configured substitute; false: never." };
    }
}
