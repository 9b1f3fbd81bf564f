using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TestUpstream;

/// <summary>What the stub received, for tests to inspect.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Model => JsonNode.Parse(Body)?["model"]?.GetValue<string>();
}

/// <summary>
/// A stand-in for the Anthropic and OpenAI APIs on a loopback port: it checks the upstream key,
/// answers a fixed text, streams it as server-sent events, and records every request.
/// </summary>
public sealed class StubUpstream : IAsyncDisposable
{
    public const string ExpectedText = "Hello from the stub upstream, in four parts.";

    /// <summary>The usage every reply reports, streamed or not, in either API.</summary>
    public const int InputTokens = 12;

    /// <inheritdoc cref="InputTokens"/>
    public const int OutputTokens = 9;
    private static readonly string[] Chunks = ["Hello from ", "the stub upstream, ", "in four ", "parts."];

    private readonly WebApplication _app;
    private readonly string _apiKey;

    private StubUpstream(WebApplication app, string apiKey)
    {
        _app = app;
        _apiKey = apiKey;
    }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>When set, a stream pauses after its first text event until the task completes.</summary>
    public TaskCompletionSource? StreamGate { get; set; }

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<StubUpstream> StartAsync(string apiKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new StubUpstream(app, apiKey);
        app.MapPost("/v1/messages", stub.MessagesAsync);
        app.MapPost("/v1/chat/completions", stub.ChatCompletionsAsync);
        // An upstream that is there but failing, for failover tests.
        app.MapPost("/failing/v1/messages", (HttpContext context) => WriteJsonAsync(context, 503, """{"type":"error","error":{"type":"overloaded_error","message":"stub is failing"}}"""));
        app.MapPost("/failing/v1/chat/completions", (HttpContext context) => WriteJsonAsync(context, 500, """{"error":{"message":"stub is failing","type":"server_error"}}"""));
        // An upstream that accepts the request and then says nothing, for timeout tests.
        app.MapPost("/silent/v1/messages", async (HttpContext context) => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        stub.BaseUrl = new Uri(address);
        return stub;
    }

    private async Task MessagesAsync(HttpContext context)
    {
        var (body, authorized) = await ReceiveAsync(context, context.Request.Headers["x-api-key"].ToString() == _apiKey);
        if (!authorized)
        {
            await WriteJsonAsync(context, 401, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}""");
            return;
        }
        context.Response.Headers["request-id"] = "req_upstream_1";
        var model = body["model"]!.GetValue<string>();
        if (body["stream"]?.GetValue<bool>() != true)
        {
            await WriteJsonAsync(context, 200, JsonSerializer.Serialize(new
            {
                id = "msg_stub",
                type = "message",
                role = "assistant",
                model,
                content = new[] { new { type = "text", text = ExpectedText } },
                stop_reason = "end_turn",
                stop_sequence = (string?)null,
                usage = new { input_tokens = InputTokens, cache_creation_input_tokens = 0, cache_read_input_tokens = 0, output_tokens = OutputTokens },
            }));
            return;
        }
        await StartEventStreamAsync(context);
        await EventAsync(context, "message_start", """{"type":"message_start","message":{"id":"msg_stub","type":"message","role":"assistant","model":""" +
            JsonSerializer.Serialize(model) + ""","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":""" +
            InputTokens + ""","cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}""");
        await EventAsync(context, "content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""");
        for (var i = 0; i < Chunks.Length; i++)
        {
            await EventAsync(context, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""" + JsonSerializer.Serialize(Chunks[i]) + "}}");
            await PauseAfterFirstAsync(i);
        }
        await EventAsync(context, "content_block_stop", """{"type":"content_block_stop","index":0}""");
        await EventAsync(context, "message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":""" + $"{OutputTokens}}}}}");
        await EventAsync(context, "message_stop", """{"type":"message_stop"}""");
    }

    private async Task ChatCompletionsAsync(HttpContext context)
    {
        var (body, authorized) = await ReceiveAsync(context, context.Request.Headers.Authorization.ToString() == $"Bearer {_apiKey}");
        if (!authorized)
        {
            await WriteJsonAsync(context, 401, """{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
            return;
        }
        var model = body["model"]!.GetValue<string>();
        if (body["stream"]?.GetValue<bool>() != true)
        {
            await WriteJsonAsync(context, 200, JsonSerializer.Serialize(new
            {
                id = "chatcmpl-stub",
                @object = "chat.completion",
                created = 1_700_000_000,
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = ExpectedText }, finish_reason = "stop" } },
                usage = new { prompt_tokens = InputTokens, completion_tokens = OutputTokens, total_tokens = InputTokens + OutputTokens },
            }));
            return;
        }
        // As OpenAI does: usage only when the caller asks for it, as "usage":null on every chunk and a last chunk with no choices.
        var includeUsage = body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        var usageNull = includeUsage ? ""","usage":null""" : "";
        await StartEventStreamAsync(context);
        for (var i = 0; i < Chunks.Length; i++)
        {
            await DataAsync(context, $$$"""{"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1700000000,"model":"{{{model}}}","choices":[{"index":0,"delta":{"content":{{{JsonSerializer.Serialize(Chunks[i])}}}},"finish_reason":null}]{{{usageNull}}}}""");
            await PauseAfterFirstAsync(i);
        }
        await DataAsync(context, $$"""{"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1700000000,"model":"{{model}}","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]{{usageNull}}}""");
        if (includeUsage)
        {
            await DataAsync(context, $$$"""{"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1700000000,"model":"{{{model}}}","choices":[],"usage":{"prompt_tokens":{{{InputTokens}}},"completion_tokens":{{{OutputTokens}}},"total_tokens":{{{InputTokens + OutputTokens}}}}}""");
        }
        await DataAsync(context, "[DONE]");
    }

    private async Task<(JsonNode Body, bool Authorized)> ReceiveAsync(HttpContext context, bool authorized)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        Received.Enqueue(new ReceivedRequest(context.Request.Path, headers, text));
        return (JsonNode.Parse(text)!, authorized);
    }

    private async Task PauseAfterFirstAsync(int index)
    {
        if (index == 0 && StreamGate is { } gate)
        {
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static Task StartEventStreamAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.Body.FlushAsync();
    }

    private static async Task EventAsync(HttpContext context, string name, string json)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {json}\n\n");
        await context.Response.Body.FlushAsync();
    }

    private static async Task DataAsync(HttpContext context, string data)
    {
        await context.Response.WriteAsync($"data: {data}\n\n");
        await context.Response.Body.FlushAsync();
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
