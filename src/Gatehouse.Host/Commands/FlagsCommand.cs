using System.CommandLine;
using Gatehouse.Engine.Identity;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse flags list|show|review</c>: the review queue the identity rules fill.</summary>
internal static class FlagsCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var status = new Option<string?>("--status") { Description = "open (the server's default), reviewed or all." };
        status.AcceptOnlyFromAmong("open", "reviewed", "all");
        var account = new Option<string?>("--account") { Description = "Only flags on this account." };
        var list = admin.Lists(new Command("list", "List flags, open ones unless --status says otherwise.") { status, account }, json.ListFlagView,
            parse => AdminPaths.Query("flags", ("status", parse.GetValue(status)), ("accountId", parse.GetValue(account))),
            ["Id", "Account", "Reason", "Status", "Raised", "Occurrences", "Summary"],
            f => [f.Id, f.AccountId, f.Reason, f.Status, AdminOutput.Time(f.RaisedAt), f.Occurrences.ToString(), f.Summary]);

        var show = admin.Shows("flags", "flag (flag_…)", "Show a flag with the decisions that raised it.", json.FlagView, flag => Write(admin, flag));

        var reviewed = AdminArguments.Id("flag (flag_…)");
        var action = new Option<string>("--action")
        {
            Description = "clear: nothing wrong (a flagged account becomes active again); suspend the account; or reinstate it.",
            Required = true,
        };
        action.AcceptOnlyFromAmong([.. EnumNames<ReviewAction>.All]);
        var comment = AdminArguments.Comment(required: true);
        var review = admin.Calls(new Command("review", "Close a flag with a verdict, which can change the account's status.") { reviewed, action, comment }, json.FlagView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("flags", parse.GetValue(reviewed), "review"),
                new ReviewFlagRequest(parse.GetValue(action), parse.GetValue(comment)), json.ReviewFlagRequest, json.FlagView, cancellationToken),
            flag => admin.Context.Console.MarkupLineInterpolated($"Reviewed flag [bold]{flag.Id}[/] on {flag.AccountId}: {flag.Review?.Action}."));

        return admin.AddTo(new Command("flags", "Review what the identity rules flagged.") { list, show, review });
    }

    private static void Write(AdminOptions admin, FlagView flag)
    {
        var console = admin.Context.Console;
        AdminOutput.WriteDetails(console,
            ("Id", flag.Id),
            ("Account", flag.AccountId),
            ("Reason", flag.Reason),
            ("Summary", flag.Summary),
            ("Status", flag.Status),
            ("Raised", AdminOutput.Time(flag.RaisedAt)),
            ("Occurrences", flag.Occurrences.ToString()),
            ("Review", flag.Review is { } r ? $"{r.Action} by {r.Reviewer} at {AdminOutput.Time(r.At)}: {r.Comment}" : null));
        // The server keeps only the latest decisions as evidence; say so, or the table looks like the whole story.
        console.WriteLine(flag.Evidence.Count < flag.Occurrences ? $"Evidence: the {flag.Evidence.Count} most recent of {flag.Occurrences} decisions." : "Evidence:");
        var table = AdminOutput.Table("Time", "Decision", "Client", "Country", "Network", "Model", "Reason");
        foreach (var e in flag.Evidence)
        {
            var network = string.Join(" ", new[] { e.NetworkType, e.Asn > 0 ? $"AS{e.Asn}" : null, e.NetworkName }.Where(p => !string.IsNullOrEmpty(p)));
            table.AddCells(AdminOutput.Time(e.Time), e.DecisionId, e.Client, e.Country, network, e.Model, e.ReasonCode);
        }
        console.Write(table);
    }
}
