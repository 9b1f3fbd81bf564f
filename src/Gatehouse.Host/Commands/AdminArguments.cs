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
}
