using System.CommandLine;
using Gatehouse.Engine.Usage;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse budgets set|list|remove</c>: daily spending limits of accounts and organisations.</summary>
internal static class BudgetsCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var (setAccount, setOrganization) = Subject("set");
        var daily = new Option<decimal>("--daily") { Description = "The most it may spend per UTC day, in US dollars, e.g. 25.00.", Required = true };
        var setComment = AdminArguments.Comment(required: false);
        var set = admin.Calls(WithSubject(new Command("set", "Set the daily budget of an account or organisation; once spent, its requests are refused until midnight UTC.")
            { daily, setComment }, setAccount, setOrganization), json.BudgetView,
            (parse, client, cancellationToken) => client.PutAsync(PathOf(parse, setAccount, setOrganization), new SetBudgetRequest(parse.GetValue(daily), parse.GetValue(setComment)),
                json.SetBudgetRequest, json.BudgetView, cancellationToken),
            budget => admin.Context.Console.MarkupLineInterpolated(
                $"Budget of [bold]{budget.SubjectId}[/]: {Nanodollars.FormatDollars(budget.DailyLimitUsd)} per day; {Nanodollars.FormatDollars(budget.SpentTodayUsd)} spent today."));

        var list = admin.Lists(new Command("list", "List budgets and what has been spent against them today."), json.ListBudgetView,
            _ => AdminPaths.Of("budgets"),
            ["Subject", "Scope", "Daily limit", "Spent today", "State", "Changed"],
            b => [b.SubjectId, b.Scope, Nanodollars.FormatDollars(b.DailyLimitUsd), Nanodollars.FormatDollars(b.SpentTodayUsd),
                b.Exhausted ? $"spent: refused until {AdminOutput.Time(b.ResetsAt)}" : "within", $"{AdminOutput.Time(b.ChangedAt)} by {b.ChangedBy}"]);

        var (removeAccount, removeOrganization) = Subject("remove");
        var removeComment = AdminArguments.Comment(required: false);
        var remove = admin.Calls(WithSubject(new Command("remove", "Remove the daily budget of an account or organisation.") { removeComment }, removeAccount, removeOrganization),
            json.BudgetView,
            (parse, client, cancellationToken) => client.DeleteAsync(
                PathOf(parse, removeAccount, removeOrganization) + (parse.GetValue(removeComment) is { } c ? $"?comment={Uri.EscapeDataString(c)}" : ""), json.BudgetView, cancellationToken),
            budget => admin.Context.Console.MarkupLineInterpolated($"Removed the budget of [bold]{budget.SubjectId}[/]."));

        return admin.AddTo(new Command("budgets", "Manage daily spending limits.") { set, list, remove });
    }

    private static (Option<string?> Account, Option<string?> Organization) Subject(string verb) => (
        new Option<string?>("--account") { Description = $"The account whose budget to {verb} (acc_…)." },
        new Option<string?>("--org") { Description = $"The organisation whose budget to {verb} (org_…)." });

    /// <summary>Exactly one of <c>--account</c> and <c>--org</c>: a budget belongs to one of them.</summary>
    private static Command WithSubject(Command command, Option<string?> account, Option<string?> organization)
    {
        AdminArguments.With(command, account, organization).Validators.Add(result =>
        {
            if ((result.GetResult(account) is null) == (result.GetResult(organization) is null))
            {
                result.AddError("Give exactly one of --account and --org.");
            }
        });
        return command;
    }

    private static string PathOf(ParseResult parse, Option<string?> account, Option<string?> organization) =>
        parse.GetValue(account) is { } id ? AdminPaths.Of("budgets/accounts", id) : AdminPaths.Of("budgets/organizations", parse.GetValue(organization));
}
