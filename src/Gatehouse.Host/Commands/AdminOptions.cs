using System.CommandLine;

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

    /// <summary>Writes a result as indented JSON when <c>--json</c> was given; returns whether it did.</summary>
    public bool WriteJsonIfAsked<T>(ParseResult parse, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (!parse.GetValue(Json))
        {
            return false;
        }
        Context.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, type));
        return true;
    }
}
