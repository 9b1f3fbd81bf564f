using System.Globalization;
using System.Text;

namespace Gatehouse.Host.Tests.Support;

/// <summary>
/// A strict reader of the Prometheus text exposition format (version 0.0.4): comments, then
/// samples <c>name{label="value",…} value [timestamp]</c>. Anything else fails the test, so a
/// malformed scrape cannot pass as an empty one.
/// </summary>
internal sealed class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public bool Has(params (string Label, string Value)[] labels) =>
            labels.All(l => Labels.TryGetValue(l.Label, out var value) && value == l.Value);
    }

    private PrometheusText(IReadOnlyList<Sample> samples, IReadOnlyDictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Metric family name → counter, gauge, histogram, summary or untyped.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IEnumerable<Sample> Named(string name) => Samples.Where(s => s.Name == name);

    /// <summary>The one sample with this name and these labels (others may be there too); 0 when there is none, as for a counter never incremented.</summary>
    public double ValueOf(string name, params (string Label, string Value)[] labels) =>
        Named(name).Where(s => s.Has(labels)).Select(s => s.Value).DefaultIfEmpty(0).Single();

    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            try
            {
                if (line.StartsWith('#'))
                {
                    var parts = line.Split(' ', 4);
                    if (parts.Length >= 4 && parts[1] == "TYPE")
                    {
                        Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                        Assert.True(types.TryAdd(parts[2], parts[3]), $"a second TYPE for {parts[2]}");
                    }
                    continue;
                }
                samples.Add(ParseSample(line));
            }
            catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                throw new FormatException($"line {lineNumber} is not a sample: {line}", e);
            }
        }
        return new PrometheusText(samples, types);
    }

    private static Sample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }
        var name = line[..i];
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            throw new FormatException("no metric name");
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_')
                {
                    i++;
                }
                var label = line[start..i];
                if (label.Length == 0 || line[i] != '=' || line[i + 1] != '"')
                {
                    throw new FormatException("a label is not name=\"value\"");
                }
                i += 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new FormatException($"unknown escape \\{line[i]}"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                    i++;
                }
                i++;
                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"label {label} twice");
                }
                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw new FormatException("labels not separated by commas");
                }
            }
            i++;
        }
        var rest = line[i..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (line[i] != ' ' || rest.Length is < 1 or > 2)
        {
            throw new FormatException("no value, or more than a value and a timestamp");
        }
        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, number);
    }
}
