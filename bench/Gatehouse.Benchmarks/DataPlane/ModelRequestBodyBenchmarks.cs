using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gatehouse.Host.DataPlane;

namespace Gatehouse.Benchmarks.DataPlane;

/// <summary>
/// Reading the model out of a buffered request body. The baseline builds a whole
/// <see cref="JsonDocument"/>, the obvious alternative, and reads the model from it.
/// </summary>
[MemoryDiagnoser]
public class ModelRequestBodyBenchmarks
{
    private byte[] _body = [];

    /// <summary>Approximate body size: a one-line prompt, and a long conversation.</summary>
    [Params(100, 64 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes(CreateBody(Bytes));
        var (body, _, message) = ModelRequestBody.Parse(_body);
        if (body?.Model != "bench-model")
        {
            throw new InvalidOperationException($"The benchmark body does not parse: {message}");
        }
    }

    [Benchmark(Baseline = true)]
    public string? JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_body);
        return document.RootElement.GetProperty("model").GetString();
    }

    [Benchmark]
    public string? ModelRequestBodyParse() => ModelRequestBody.Parse(_body).Body?.Model;

    /// <summary>
    /// An Anthropic Messages request. The model comes first, as in the load test; the parser
    /// reads every token either way to reject a duplicate model or trailing content.
    /// </summary>
    private static string CreateBody(int targetBytes)
    {
        var builder = new StringBuilder("""{"model":"bench-model","max_tokens":1024,"messages":[""");
        const string Turn = "Summarise the export-control position of this model in two sentences, citing the ECCN. ";
        var turn = 0;
        do
        {
            if (turn > 0)
            {
                builder.Append(',');
            }
            var role = turn % 2 == 0 ? "user" : "assistant";
            builder.Append($$"""{"role":"{{role}}","content":[{"type":"text","text":"{{Turn}}"}]}""");
            turn++;
        }
        while (builder.Length < targetBytes - 32);
        return builder.Append("""],"stream":false}""").ToString();
    }
}
