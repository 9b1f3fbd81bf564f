using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Gatehouse.Engine.Configuration;

/// <summary>The outcome of reading a configuration file: a configuration, or every error found.</summary>
public sealed record ConfigurationLoadResult(GatewayConfiguration? Configuration, IReadOnlyList<ConfigurationError> Errors)
{
    public bool Succeeded => Configuration is not null;
}

/// <summary>Reads gatehouse.yaml, validates all of it and builds the frozen configuration.</summary>
public static partial class ConfigurationLoader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <param name="path">The file to read.</param>
    /// <param name="environment">Reads an environment variable (upstream keys); injected so tests need not touch the process environment.</param>
    public static ConfigurationLoadResult Load(string path, Func<string, string?> environment)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed(new ConfigurationError(path, 0, "(file)", $"cannot be read: {e.Message}"));
        }
        return Parse(yaml, path, environment);
    }

    public static GatewayConfiguration LoadOrThrow(string path, Func<string, string?> environment)
    {
        var result = Load(path, environment);
        return result.Configuration ?? throw new ConfigurationException(result.Errors);
    }

    /// <summary>Validates YAML text; <paramref name="path"/> names it in errors and anchors relative paths.</summary>
    public static ConfigurationLoadResult Parse(string yaml, string path, Func<string, string?> environment)
    {
        YamlLineMap lines;
        ConfigurationFile file;
        try
        {
            lines = YamlLineMap.Build(yaml);
        }
        catch (YamlException e)
        {
            return Failed(new ConfigurationError(path, (int)e.Start.Line, "(syntax)", Innermost(e)));
        }
        try
        {
            file = Deserializer.Deserialize<ConfigurationFile?>(yaml) ?? new ConfigurationFile();
        }
        catch (YamlException e)
        {
            var field = lines.PathAt(e.Start) ?? "(document)";
            return Failed(new ConfigurationError(path, (int)e.Start.Line, field, Explain(Innermost(e))));
        }

        var errors = new ConfigurationErrors(path, lines);
        var configuration = ConfigurationBuilder.Build(file, Path.GetFullPath(path), errors, environment);
        return errors.Count == 0
            ? new ConfigurationLoadResult(configuration, [])
            : new ConfigurationLoadResult(null, errors.ToList());
    }

    private static ConfigurationLoadResult Failed(ConfigurationError error) => new(null, [error]);

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return MarkPrefix().Replace(e.Message, "");
    }

    /// <summary>Turns YamlDotNet's binder messages into words about the file rather than about .NET types.</summary>
    private static string Explain(string message)
    {
        var unknown = UnknownProperty().Match(message);
        if (unknown.Success)
        {
            return $"unknown field '{unknown.Groups[1].Value}' (field names are camelCase; see the configuration reference in the README)";
        }
        // The binder names .NET types; say what shape the file should have instead.
        if (message.Contains("SequenceStart", StringComparison.Ordinal) || (message.StartsWith("Invalid cast", StringComparison.Ordinal) && message.Contains("Collections.Generic.List", StringComparison.Ordinal)))
        {
            return "expected a list, e.g. [a, b]";
        }
        if (message.Contains("MappingStart", StringComparison.Ordinal) || message.StartsWith("Invalid cast", StringComparison.Ordinal))
        {
            return "expected a mapping of fields";
        }
        return message;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();

    [GeneratedRegex(@"Property '([^']+)' not found on type")]
    private static partial Regex UnknownProperty();
}

/// <summary>Collects errors during validation without stopping at the first.</summary>
internal sealed class ConfigurationErrors(string file, YamlLineMap lines)
{
    private readonly List<ConfigurationError> _errors = [];

    public int Count => _errors.Count;

    public void Add(string field, string message) =>
        _errors.Add(new ConfigurationError(file, lines.LineOf(field), field, message));

    public List<ConfigurationError> ToList() => [.. _errors.OrderBy(e => e.Line)];
}
