using System.CommandLine;
using System.Globalization;
using CsvHelper;
using Gatehouse.Engine.Usage;
using Gatehouse.Host.Admin;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse usage report</c>: tokens and cost per day, account, organisation and model, as a table or CSV.</summary>
internal static class UsageCommand
{
    private static readonly string[] Dimensions = ["day", "account", "organization", "model"];

    public static Command Create(AdminOptions admin)
    {
        var from = new Option<string?>("--from") { Description = "The first UTC day, YYYY-MM-DD (default: 29 days before --to)." };
        var to = new Option<string?>("--to") { Description = "The last UTC day, YYYY-MM-DD (default: today)." };
        var account = new Option<string?>("--account") { Description = "Only this account's usage (acc_…)." };
        var organization = new Option<string?>("--org") { Description = "Only this organisation's usage (org_…)." };
        var by = new Option<string[]>("--by")
        {
            Description = "Group by these (repeat, or separate with commas): day, account, organization, model (default: all four).",
            AllowMultipleArgumentsPerToken = true,
        };
        var csv = new Option<bool>("--csv") { Description = "Write CSV (RFC 4180, a header line, costs in US dollars) instead of a table." };
        var report = new Command("report", "Report token usage and cost.") { from, to, account, organization, by, csv };
        report.SetAction((parse, cancellationToken) => admin.RunAsync(parse, async client =>
        {
            var grouping = parse.GetValue(by) is { Length: > 0 } names ? string.Join(',', names) : null;
            var path = AdminPaths.Query("usage", ("from", parse.GetValue(from)), ("to", parse.GetValue(to)), ("accountId", parse.GetValue(account)),
                ("organizationId", parse.GetValue(organization)), ("by", grouping));
            var answer = await client.GetAsync(path, AdminJsonContext.Default.UsageReportView, cancellationToken);
            if (admin.WriteJsonIfAsked(parse, answer, AdminJsonContext.Default.UsageReportView))
            {
                return;
            }
            if (parse.GetValue(csv))
            {
                WriteCsv(admin.Context, answer);
            }
            else
            {
                WriteTable(admin.Context, answer);
            }
        }));
        return admin.AddTo(new Command("usage", "Read token usage and cost.") { report });
    }

    private static string?[] DimensionCells(UsageRowView row) =>
        [row.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row.AccountId, row.OrganizationId, row.Model];

    /// <summary>Every dimension column, empty where the report is not grouped by it, so that a script reads the same columns whatever it asked for.</summary>
    private static void WriteCsv(CliContext context, UsageReportView report)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = CsvWriter.Create(output, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true))
        {
            writer.WriteHeader([.. Dimensions, "requests", "unmetered_requests", "input_tokens", "output_tokens", "cost_usd"]);
            foreach (var row in report.Rows)
            {
                writer.WriteRecord([.. DimensionCells(row), .. Numbers(row, n => n.ToString(CultureInfo.InvariantCulture)), row.CostUsd.ToString(CultureInfo.InvariantCulture)]);
            }
        }
        context.Console.Profile.Out.Writer.Write(output.ToString());
    }

    private static void WriteTable(CliContext context, UsageReportView report)
    {
        var shown = Enumerable.Range(0, Dimensions.Length).Where(i => report.By.Contains(Dimensions[i])).ToList();
        string[] headings = ["Day", "Account", "Organisation", "Model"];
        string[] columns = [.. shown.Select(i => headings[i]), "Requests", "Unmetered", "Input tokens", "Output tokens", "Cost"];
        var table = AdminOutput.Table(columns[0], columns[1..]);
        foreach (var row in report.Rows)
        {
            var cells = DimensionCells(row);
            table.AddCells([.. shown.Select(i => cells[i]), .. Numbers(row, Count), Nanodollars.FormatDollars(row.CostUsd)]);
        }
        var total = report.Total;
        table.AddCells([.. shown.Select((_, i) => i == 0 ? "Total" : ""), .. Numbers(total, Count), Nanodollars.FormatDollars(total.CostUsd)]);
        context.Console.Write(table);
        context.WriteLine($"{report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd} (UTC). Unmetered requests reported no usage: their tokens are unknown and cost nothing.");
    }

    private static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    private static IEnumerable<string> Numbers(UsageRowView row, Func<long, string> format) =>
        [format(row.Requests), format(row.UnmeteredRequests), format(row.InputTokens), format(row.OutputTokens)];
}
