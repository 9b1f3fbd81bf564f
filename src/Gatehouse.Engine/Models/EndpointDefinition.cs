namespace Gatehouse.Engine.Models;

/// <summary>The API a caller speaks, and the API an endpoint's upstream speaks.</summary>
public enum ApiDialect
{
    /// <summary>The Anthropic Messages API.</summary>
    Anthropic,

    /// <summary>The OpenAI Chat Completions API, or any server that speaks it (vLLM, llama.cpp, Ollama).</summary>
    OpenAI,
}

public static class ApiDialects
{
    /// <summary><c>anthropic</c> or <c>openai</c>: the name <see cref="TryParse"/> reads.</summary>
    public static string NameOf(ApiDialect dialect) => dialect == ApiDialect.Anthropic ? "anthropic" : "openai";

    /// <summary>Reads <c>anthropic</c> or <c>openai</c> (any case) and nothing else: no numbers, no comma lists.</summary>
    public static bool TryParse(string? text, out ApiDialect dialect)
    {
        dialect = default;
        if (string.Equals(text, "anthropic", StringComparison.OrdinalIgnoreCase))
        {
            dialect = ApiDialect.Anthropic;
            return true;
        }
        if (string.Equals(text, "openai", StringComparison.OrdinalIgnoreCase))
        {
            dialect = ApiDialect.OpenAI;
            return true;
        }
        return false;
    }
}

/// <summary>One place a model is served: model × region × upstream.</summary>
public sealed class EndpointDefinition
{
    public required string Id { get; init; }
    public required string ModelId { get; init; }
    public required ApiDialect Provider { get; init; }
    public required Uri BaseUrl { get; init; }
    public required string Region { get; init; }

    /// <summary>The model name the upstream expects; the gateway rewrites the request's model to it.</summary>
    public required string UpstreamModel { get; init; }

    /// <summary>The environment variable the upstream key is read from, when the upstream needs one.</summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>The upstream's key. Never logged, never sent to a caller; not part of ToString.</summary>
    public string? ApiKey { get; init; }

    /// <summary>True when a key variable is configured but was not set when the configuration was read.</summary>
    public bool IsMissingApiKey => ApiKeyVariable is not null && string.IsNullOrEmpty(ApiKey);

    public override string ToString() => $"{Id} ({Provider}, {Region}, {BaseUrl})";
}
