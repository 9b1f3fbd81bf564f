using System.CommandLine;

namespace Gatehouse.Host.Commands;

/// <summary>The <c>gatehouse</c> command line: one class per command, all built here.</summary>
internal static class GatehouseCli
{
    public static RootCommand Create(CliContext context)
    {
        var admin = new AdminOptions(context);
        var root = new RootCommand("Gatehouse: an export-control and data-sovereignty gateway for AI model APIs.")
        {
            ServeCommand.Create(context),
            ConfigCommand.Create(context),
            PolicyCommand.Create(context, admin),
            GeoCommand.Create(context),
            OrganizationsCommand.Create(admin),
            AccountsCommand.Create(admin),
            KeysCommand.Create(admin),
            TokensCommand.Create(admin),
            FlagsCommand.Create(admin),
            ModelsCommand.Create(admin),
            EndpointsCommand.Create(admin),
            LicensesCommand.Create(admin),
            SanctionsCommand.Create(admin),
            AuditCommand.Create(admin),
            UsageCommand.Create(admin),
            BudgetsCommand.Create(admin),
            PoliciesCommand.Create(admin),
            ExplainCommand.Create(admin),
        };
        return root;
    }
}
