namespace Gatehouse.Engine.Configuration;

/// <summary>One problem found in a configuration file, located precisely enough to fix it.</summary>
/// <param name="File">The configuration file's path as given.</param>
/// <param name="Line">1-based line, or 0 when the problem concerns the file as a whole.</param>
/// <param name="Field">The field's path, e.g. <c>endpoints[1].model</c>.</param>
/// <param name="Message">What is wrong and, where it helps, what would be right.</param>
public sealed record ConfigurationError(string File, int Line, string Field, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}: {Field}: {Message}" : $"{File}: {Field}: {Message}";
}

/// <summary>Thrown only at the edges (start-up, CLI) where a bad file must stop the program.</summary>
public sealed class ConfigurationException(IReadOnlyList<ConfigurationError> errors)
    : Exception(FormatMessage(errors))
{
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;

    private static string FormatMessage(IReadOnlyList<ConfigurationError> errors) =>
        "The configuration is invalid:" + Environment.NewLine +
        string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
