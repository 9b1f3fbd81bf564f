using System.Text;
using CsCheck;
using Gatehouse.Engine.Usage;

namespace Gatehouse.Engine.Tests.Usage;

public sealed class UsageParserTests
{
    // Shaped as the APIs answer (recorded field order and extras kept), with a text that mentions "usage" itself.
    private const string AnthropicJson = """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"The \"usage\":{\"output_tokens\":999} field"}],
         "stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":25,"cache_creation_input_tokens":100,"cache_read_input_tokens":40,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0},
                  "output_tokens":311,"service_tier":"standard","server_tool_use":{"web_search_requests":3}}}
        """;

    private const string OpenAIJson = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-x","choices":[{"index":0,"message":{"role":"assistant","content":"hi","usage":{"prompt_tokens":1}},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":7,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":4}},
         "system_fingerprint":null}
        """;

    private const string AnthropicStream =
        "event: message_start\r\n" +
        "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-x\",\"stop_reason\":null," +
        "\"usage\":{\"input_tokens\":472,\"cache_creation_input_tokens\":3,\"cache_read_input_tokens\":5,\"output_tokens\":2}}}\r\n\r\n" +
        "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\\\"usage\\\": {\\\"output_tokens\\\": 5}\"}}\n\n" +
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}\n\n" +
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private const string OpenAIStream =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n" +
        ": a comment line\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,\"total_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n" +
        "data: [DONE]\n\n";

    private static TokenUsage? Parse(string body, string mediaType, params int[] cuts)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var sut = UsageParser.For(mediaType, encoded: false);
        var start = 0;
        foreach (var cut in cuts.Where(c => c > 0 && c < bytes.Length).Order().Append(bytes.Length))
        {
            sut.Feed(bytes.AsSpan(start, cut - start));
            start = cut;
        }
        return sut.Usage;
    }

    [Fact]
    public void Json_Anthropic_InputIncludesCacheWritesAndReads()
    {
        Assert.Equal(new TokenUsage(25 + 100 + 40, 311), Parse(AnthropicJson, "application/json"));
    }

    [Fact]
    public void Json_OpenAI_PromptAndCompletionTokens_NestedDetailsAndTextIgnored()
    {
        Assert.Equal(new TokenUsage(19, 10), Parse(OpenAIJson, "application/json"));
    }

    [Fact]
    public void EventStream_Anthropic_InputFromMessageStartOutputFromMessageDelta()
    {
        Assert.Equal(new TokenUsage(472 + 3 + 5, 89), Parse(AnthropicStream, "text/event-stream"));
    }

    [Fact]
    public void EventStream_OpenAI_FinalUsageChunk()
    {
        Assert.Equal(new TokenUsage(8, 2), Parse(OpenAIStream, "text/event-stream"));
    }

    [Fact]
    public void EventStream_OpenAIWithoutIncludeUsage_HasNoUsage()
    {
        var withoutUsage = string.Join("\n\n", OpenAIStream.Split("\n\n").Where(e => !e.Contains("prompt_tokens", StringComparison.Ordinal)));

        Assert.Null(Parse(withoutUsage, "text/event-stream"));
    }

    [Fact]
    public void EventStream_FinalEventWithoutNewline_IsDiscardedAsClientsDo()
    {
        var cutShort = OpenAIStream[..OpenAIStream.IndexOf("data: [DONE]", StringComparison.Ordinal)].TrimEnd('\n');

        Assert.Null(Parse(cutShort, "text/event-stream"));
    }

    [Fact]
    public void Json_WithoutUsage_HasNoUsage()
    {
        Assert.Null(Parse("""{"id":"x","choices":[],"usage":null}""", "application/json"));
    }

    [Theory]
    [InlineData("application/json", "not json at all {\"usage\":{\"input_tokens\":5}}")]
    [InlineData("application/json", "[{\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}]")]
    [InlineData("application/json", "{\"usage\":{\"input_tokens\":")]
    [InlineData("text/event-stream", "data: {\"usage\":{\"input_tokens\":}\n\n")]
    [InlineData("text/event-stream", "\u0000\u0001\u00ff garbage\n\ndata: \"usage\"\n\n")]
    [InlineData("text/html", "{\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}")]
    public void Garbage_NeverThrows_AndYieldsNoUsage(string mediaType, string body)
    {
        Assert.Null(Parse(body, mediaType));
    }

    /// <summary>A body cut off (the caller went away) still counts what the upstream reported before: it bills the input it read.</summary>
    [Theory]
    [InlineData("application/json", "{\"usage\":{\"input_tokens\":5,\"output_tokens\":")]
    [InlineData("text/event-stream", "data: {\"usage\":{\"input_tokens\":5,\"output_tokens\":}\n\n")]
    public void CutOff_KeepsWhatWasRead(string mediaType, string body)
    {
        Assert.Equal(new TokenUsage(5, 0), Parse(body, mediaType));
    }

    [Fact]
    public void Json_GarbageAfterUsage_KeepsWhatWasRead()
    {
        Assert.Equal(new TokenUsage(5, 1), Parse("""{"usage":{"input_tokens":5,"output_tokens":1}} trailing garbage""", "application/json"));
    }

    [Fact]
    public void EventStream_GarbledEvent_DoesNotStopLaterOnes()
    {
        var body = "data: {\"usage\":{\"prompt_tokens\":oops}}\n\ndata: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n\n";

        Assert.Equal(new TokenUsage(3, 4), Parse(body, "text/event-stream"));
    }

    [Fact]
    public void EventStream_LineLongerThanTheLimit_IsSkippedAndLaterUsageRead()
    {
        var huge = "data: {\"usage\":{\"prompt_tokens\":1000},\"pad\":\"" + new string('x', UsageParser.MaxEventLine) + "\"}\n\n";

        Assert.Equal(new TokenUsage(6, 7), Parse(huge + "data: {\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":7}}\n\n", "text/event-stream", 10, 5000, 70000, 200000));
    }

    [Fact]
    public void Json_LongStringBeforeUsage_IsReadAcrossPieces()
    {
        var body = "{\"content\":\"" + new string('y', 100_000) + "\",\"usage\":{\"input_tokens\":2,\"output_tokens\":3}}";

        Assert.Equal(new TokenUsage(2, 3), Parse(body, "application/json", 7, 4096, 8192, 50_000, 100_010));
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData(null)]
    public void For_MediaTypeWithParametersOrNone_IsUnreadable(string? mediaType)
    {
        // The media type arrives without its parameters (HttpContent parses them apart); anything else is not recognised.
        Assert.Equal(UsageBodyFormat.Unreadable, UsageParser.For(mediaType, encoded: false).Format);
    }

    [Fact]
    public void For_EncodedBody_IsUnreadable()
    {
        Assert.Equal(UsageBodyFormat.Unreadable, UsageParser.For("application/json", encoded: true).Format);
        Assert.Equal(UsageBodyFormat.Json, UsageParser.For("application/vnd.api+json", encoded: false).Format);
        Assert.Equal(UsageBodyFormat.EventStream, UsageParser.For("Text/Event-Stream", encoded: false).Format);
    }

    /// <summary>However the bytes are cut into pieces — one piece, byte by byte, at random — the same usage is read.</summary>
    [Fact]
    public void Feed_AnyChunking_GivesTheSameUsage()
    {
        (string Body, string MediaType, TokenUsage Expected)[] bodies =
        [
            (AnthropicJson, "application/json", new(165, 311)),
            (OpenAIJson, "application/json", new(19, 10)),
            (AnthropicStream, "text/event-stream", new(480, 89)),
            (OpenAIStream, "text/event-stream", new(8, 2)),
        ];
        Assert.All(bodies, b => Assert.Equal(b.Expected, Parse(b.Body, b.MediaType, [.. Enumerable.Range(1, Encoding.UTF8.GetByteCount(b.Body))])));
        Gen.Select(Gen.Int[0, bodies.Length - 1], Gen.Int[0, 4000].Array[0, 40]).Sample((index, cuts) =>
        {
            var (body, mediaType, expected) = bodies[index];
            Assert.Equal(expected, Parse(body, mediaType, cuts));
        }, iter: 2000);
    }
}
