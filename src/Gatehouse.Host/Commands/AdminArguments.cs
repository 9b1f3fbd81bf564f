using System.CommandLine;

namespace Gatehouse.Host.Commands;

/// <summary>Arguments and options several admin commands take, worded once.</summary>
internal static class AdminArguments
{
    /// <param name="what">What the id names, e.g. <c>account (acc_…)</c>.</param>
    public static Argument<string> Id(string what) => new("id") { Description = $"The {what}." };

    /// <param name="required">Whether the change needs a reason: status changes and reviews do, so the audit log can say why.</param>
    public static Option<string> Comment(bool required) => new("--comment")
    {
        Description = "Why, in your words; kept in the audit log" + (required ? " (required)." : "."),
        Required = required,
    };

    public static Command With(Command command, params Option[] options)
    {
        foreach (var option in options)
        {
            command.Add(option);
        }
        return command;
    }

    /// <summary>Adds <paramref name="options"/> to an update command, which must be given at least one: an empty update would only add noise to the audit log.</summary>
    public static Command WithChanges(Command command, params Option[] options)
    {
        With(command, options).Validators.Add(result =>
        {
            if (options.All(o => result.GetResult(o) is null))
            {
                result.AddError($"Nothing to change: give at least one of {string.Join(", ", options.Select(o => o.Name))}.");
            }
        });
        return command;
    }
}
