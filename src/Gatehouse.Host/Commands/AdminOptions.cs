using System.CommandLine;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary>The options every admin command shares: where the admin API is, the token, and the output form.</summary>
internal sealed class AdminOptions(CliContext context)
{
    public const string UrlVariable = "GATEHOUSE_ADMIN_URL";
    public const string TokenVariable = "GATEHOUSE_ADMIN_TOKEN";
    public const string DefaultUrl = "http://127.0.0.1:8081";

    public CliContext Context { get; } = context;

    public Option<string?> Url { get; } = new("--admin-url")
    {
        Description = $"The admin API's address (default: ${UrlVariable}, else {DefaultUrl}).",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"An admin token (default: ${TokenVariable}). Prefer the variable: arguments are visible to other users.",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write JSON for scripts instead of a table.",
        Recursive = true,
    };

    public Command AddTo(Command command)
    {
        command.Add(Url);
        command.Add(Token);
        command.Add(Json);
        return command;
    }

    /// <summary>Runs one admin call; a failure is printed as a sentence and becomes exit code 1.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<AdminClient, Task> action)
    {
        try
        {
            var url = parse.GetValue(Url) ?? Context.Environment.Read(UrlVariable) ?? DefaultUrl;
            var token = parse.GetValue(Token) ?? Context.Environment.Read(TokenVariable);
            using var client = new AdminClient(url, token, Context.AdminHandler);
            await action(client);
            return 0;
        }
        catch (AdminCallException e)
        {
            await Context.Error.WriteLineAsync($"gatehouse: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Makes <paramref name="command"/> one admin call whose answer is printed as JSON with
    /// <c>--json</c>, else by <paramref name="write"/>: what nearly every admin command does.
    /// </summary>
    public Command Calls<T>(Command command, JsonTypeInfo<T> type, Func<ParseResult, AdminClient, CancellationToken, Task<T>> call, Action<T> write)
    {
        command.SetAction((parse, cancellationToken) => RunAsync(parse, async client =>
        {
            var answer = await call(parse, client, cancellationToken);
            if (!WriteJsonIfAsked(parse, answer, type))
            {
                write(answer);
            }
        }));
        return command;
    }

    /// <summary>A <c>list</c> command: one GET, then a table with a row per record.</summary>
    /// <param name="path">The address to read, with the query the command's filters make.</param>
    public Command Lists<T>(Command command, JsonTypeInfo<List<T>> type, Func<ParseResult, string> path, string[] columns, Func<T, string?[]> row) =>
        Calls(command, type, (parse, client, cancellationToken) => client.GetAsync(path(parse), type, cancellationToken), records =>
        {
            var table = AdminOutput.Table(columns[0], columns[1..]);
            records.ForEach(r => table.AddCells(row(r)));
            Context.Console.Write(table);
        });

    /// <summary>A <c>show ID</c> command: one GET of <c>collection/ID</c>, written by <paramref name="write"/>.</summary>
    /// <param name="what">What the id names, e.g. <c>account (acc_…)</c>.</param>
    public Command Shows<T>(string collection, string what, string description, JsonTypeInfo<T> type, Action<T> write)
    {
        var id = AdminArguments.Id(what);
        return Calls(new Command("show", description) { id }, type,
            (parse, client, cancellationToken) => client.GetAsync(AdminPaths.Of(collection, parse.GetValue(id)), type, cancellationToken), write);
    }

    /// <summary>A new key or token: the server keeps only its hash, so this is the one chance to copy it.</summary>
    public void WriteSecretOnce(FormattableString headline, string what, string secret)
    {
        Context.Console.MarkupLineInterpolated(headline);
        Context.Console.MarkupLine($"The {what} is shown this once; only its hash is stored:");
        Context.WriteLine(secret);
    }

    /// <summary>Writes a result as indented JSON when <c>--json</c> was given; returns whether it did.</summary>
    public bool WriteJsonIfAsked<T>(ParseResult parse, T value, JsonTypeInfo<T> type)
    {
        if (!parse.GetValue(Json))
        {
            return false;
        }
        Context.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, type));
        return true;
    }
}
