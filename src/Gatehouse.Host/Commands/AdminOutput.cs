using Spectre.Console;
using Spectre.Console.Rendering;

namespace Gatehouse.Host.Commands;

/// <summary>How admin commands lay out records for people; every cell is plain text, so what the API returns is never read as markup.</summary>
internal static class AdminOutput
{
    public static string Time(DateTimeOffset? time) => time?.ToString("u") ?? "";

    /// <summary>The first column is never wrapped: it is the id people copy into the next command (or the time, for logs).</summary>
    public static Table Table(string first, params string[] others) =>
        new Table().AddColumn(new TableColumn(new Text(first)).NoWrap()).AddColumns(others);

    public static Table AddCells(this Table table, params string?[] cells) =>
        table.AddRow([.. cells.Select(c => (IRenderable)new Text(c ?? ""))]);

    /// <summary>One record as label and value lines, for <c>show</c>; an empty value is written <c>-</c> so that a missing fact is visibly missing.</summary>
    public static void WriteDetails(IAnsiConsole console, params IEnumerable<(string Label, string? Value)> rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (label, value) in rows)
        {
            grid.AddRow(new Text(label, new Style(decoration: Decoration.Bold)), new Text(string.IsNullOrEmpty(value) ? "-" : value));
        }
        console.Write(grid);
    }
}
