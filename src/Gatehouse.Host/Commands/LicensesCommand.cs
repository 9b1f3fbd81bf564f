using System.CommandLine;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Licensing;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse licenses grant|list|show|revoke</c>: export licences.</summary>
internal static class LicensesCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var organization = new Option<string>("--org") { Description = "The organisation the licence is granted to (org_…).", Required = true };
        var number = new Option<string>("--number") { Description = "The issuing authority's reference, e.g. D-1234567.", Required = true };
        var models = new Option<string[]>("--model")
        {
            Description = "A model id, or a pattern with * such as mythos-*; repeat for several.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var countries = new Option<string[]>("--country")
        {
            Description = "An ISO 3166-1 alpha-2 code of a country callers may be in; repeat for several.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var from = new Option<DateTimeOffset?>("--from") { Description = "When the licence starts, as an ISO 8601 time (default: now)." };
        var to = new Option<DateTimeOffset>("--to") { Description = "When it ends (it no longer works from that instant), e.g. 2027-12-31T23:59:59Z.", Required = true };
        var note = new Option<string?>("--note") { Description = "Anything a reviewer should know, e.g. the conditions attached." };
        var grant = admin.Calls(new Command("grant", "Grant an export licence: it lets the organisation use the models from the countries, during its term.")
            { organization, number, models, countries, from, to, note }, json.LicenseView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("licenses"),
                new GrantLicenseRequest(parse.GetValue(number), parse.GetValue(organization), parse.GetValue(models), parse.GetValue(countries),
                    parse.GetValue(from), parse.GetValue(to), parse.GetValue(note)),
                json.GrantLicenseRequest, json.LicenseView, cancellationToken),
            license => admin.Context.Console.MarkupLineInterpolated(
                $"Granted licence [bold]{license.Number}[/] ({license.Id}) to {license.OrganizationId}: {string.Join(", ", license.Models)} from {string.Join(", ", license.Countries)} until {AdminOutput.Time(license.ValidTo)}."));

        var filter = new Option<string?>("--org") { Description = "Only licences of this organisation." };
        var status = new Option<string?>("--status") { Description = "Only licences with this status." };
        status.AcceptOnlyFromAmong([.. EnumNames<LicenseStatus>.All]);
        var list = admin.Lists(new Command("list", "List export licences.") { filter, status }, json.ListLicenseView,
            parse => AdminPaths.Query("licenses", ("organizationId", parse.GetValue(filter)), ("status", parse.GetValue(status))),
            ["Id", "Number", "Organisation", "Models", "Countries", "Status", "Valid from", "Valid to"],
            l => [l.Id, l.Number, l.OrganizationId, string.Join(", ", l.Models), string.Join(", ", l.Countries), State(l), AdminOutput.Time(l.ValidFrom), AdminOutput.Time(l.ValidTo)]);

        var show = admin.Shows("licenses", "licence (lic_…)", "Show a licence.", json.LicenseView,
            license => AdminOutput.WriteDetails(admin.Context.Console,
                ("Id", license.Id),
                ("Number", license.Number),
                ("Organisation", license.OrganizationId),
                ("Models", string.Join(", ", license.Models)),
                ("Countries", string.Join(", ", license.Countries)),
                ("Status", State(license)),
                ("Valid from", AdminOutput.Time(license.ValidFrom)),
                ("Valid to", AdminOutput.Time(license.ValidTo)),
                ("Note", license.Note),
                ("Revoked", license.RevokedAt is { } at ? $"{AdminOutput.Time(at)}: {license.RevocationReason}" : null),
                ("Granted", AdminOutput.Time(license.CreatedAt))));

        var revoked = AdminArguments.Id("licence to revoke (lic_…)");
        var comment = AdminArguments.Comment(required: true);
        var revoke = admin.Calls(new Command("revoke", "Revoke a licence: requests it covered are refused from now on.") { revoked, comment }, json.LicenseView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("licenses", parse.GetValue(revoked), "revoke"), new CommentRequest(parse.GetValue(comment)),
                json.CommentRequest, json.LicenseView, cancellationToken),
            license => admin.Context.Console.MarkupLineInterpolated($"Revoked licence [bold]{license.Number}[/] ({license.Id}) at {AdminOutput.Time(license.RevokedAt)}."));

        return admin.AddTo(new Command("licenses", "Manage export licences.") { grant, list, show, revoke });
    }

    /// <summary>The status, with "not yet in force" for an active licence whose term has not begun.</summary>
    private static string State(LicenseView license) => license.Status == "active" && !license.InForce ? "active (not yet in force)" : license.Status;
}
