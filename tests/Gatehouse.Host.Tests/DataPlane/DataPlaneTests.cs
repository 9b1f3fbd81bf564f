using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Host.Tests.Support;
using TestUpstream;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>The data plane end to end: a real gateway on loopback in front of the stub upstream.</summary>
public sealed class DataPlaneTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayInstance Gateway => fixture.Gateway;

    private HttpRequestMessage Anthropic(string model, bool stream = false, string? key = null) =>
        Request("/v1/messages", $$"""{"model":"{{model}}","max_tokens":64,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Say hello"}]}""",
            r =>
            {
                r.Headers.Add("x-api-key", key ?? Gateway.ApiKey);
                r.Headers.Add("anthropic-version", "2023-06-01");
            });

    private HttpRequestMessage OpenAI(string model, bool stream = false, string? key = null) =>
        Request("/v1/chat/completions", $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Say hello"}]}""",
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? Gateway.ApiKey));

    private static HttpRequestMessage Request(string path, string json, Action<HttpRequestMessage> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        headers(request);
        return request;
    }

    private ReceivedRequest? LastReceivedFor(string model) => Gateway.Upstream.Received.LastOrDefault(r => r.Model == model);

    [Fact]
    public async Task Messages_AllowedModel_ForwardsAndReturnsUpstreamAnswer()
    {
        using var response = await Gateway.Client.SendAsync(Anthropic(GatewayFixture.AnthropicModel));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(StubUpstream.ExpectedText, body["content"]![0]!["text"]!.GetValue<string>());
        Assert.StartsWith("req_", response.Headers.GetValues("request-id").Single());
        Assert.Equal("req_upstream_1", response.Headers.GetValues("upstream-request-id").Single());
        Assert.Matches("^allowed; id=dec_[a-z2-7]{16}$", response.Headers.GetValues("gatehouse-decision").Single());
    }

    [Fact]
    public async Task Messages_Forwarded_CarriesUpstreamKeyAndNeverTheGatewayKey()
    {
        using var response = await Gateway.Client.SendAsync(Anthropic(GatewayFixture.AnthropicModel));
        var clientSaw = response.Headers.ToString() + response.Content.Headers + await response.Content.ReadAsStringAsync();

        var upstreamSaw = LastReceivedFor(GatewayFixture.AnthropicUpstreamModel)!;
        Assert.Equal(GatewayInstance.UpstreamKey, upstreamSaw.Headers["x-api-key"]);
        var everythingUpstreamSaw = string.Join("\n", upstreamSaw.Headers.Select(h => $"{h.Key}: {h.Value}")) + upstreamSaw.Body;
        Assert.DoesNotContain(Gateway.ApiKey, everythingUpstreamSaw);
        Assert.DoesNotContain(Gateway.ApiKey[..30], everythingUpstreamSaw);
        Assert.DoesNotContain(GatewayInstance.UpstreamKey, clientSaw);
    }

    [Fact]
    public async Task ChatCompletions_Forwarded_UsesBearerUpstreamKeyAndNeverTheGatewayKey()
    {
        using var response = await Gateway.Client.SendAsync(OpenAI(GatewayFixture.OpenAIModel));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(StubUpstream.ExpectedText, body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var upstreamSaw = LastReceivedFor(GatewayFixture.OpenAIModel)!;
        Assert.Equal($"Bearer {GatewayInstance.UpstreamKey}", upstreamSaw.Headers["authorization"]);
        Assert.False(upstreamSaw.Headers.ContainsKey("x-api-key"));
        Assert.DoesNotContain(Gateway.ApiKey, string.Join("\n", upstreamSaw.Headers.Values) + upstreamSaw.Body);
    }

    [Fact]
    public async Task Messages_Alias_IsResolvedAndUpstreamModelNameSentWithOtherBytesUnchanged()
    {
        var json = """{"max_tokens":64,  "model" : "ALIAS","messages":[{"role":"user","content":"caf\u00e9 \ud83d\ude00"}],"metadata":{"model":"not-this-one"}}"""
            .Replace("ALIAS", GatewayFixture.AnthropicAlias);
        using var request = Request("/v1/messages", json, r => r.Headers.Add("x-api-key", Gateway.ApiKey));
        using var response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstreamSaw = LastReceivedFor(GatewayFixture.AnthropicUpstreamModel)!;
        Assert.Equal(json.Replace(GatewayFixture.AnthropicAlias, GatewayFixture.AnthropicUpstreamModel), upstreamSaw.Body);
    }

    [Fact]
    public async Task Messages_Streaming_EventsArriveBeforeTheUpstreamFinishes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Gateway.Upstream.StreamGate = gate;
        try
        {
            using var response = await Gateway.Client.SendAsync(Anthropic(GatewayFixture.AnthropicModel, stream: true), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

            // The upstream is holding the rest of the stream until the gate opens: if the gateway
            // buffered, this read would never see the first delta.
            var firstDelta = await ReadUntilAsync(reader, "text_delta").WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains("Hello from ", firstDelta);
            gate.SetResult();

            var rest = await reader.ReadToEndAsync();
            var text = string.Concat(EventData(firstDelta + rest)
                .Where(e => e["type"]?.GetValue<string>() == "content_block_delta")
                .Select(e => e["delta"]!["text"]!.GetValue<string>()));
            Assert.Equal(StubUpstream.ExpectedText, text);
            Assert.Contains("message_stop", rest);
        }
        finally
        {
            Gateway.Upstream.StreamGate = null;
        }
    }

    [Fact]
    public async Task ChatCompletions_Streaming_EventsArriveBeforeTheUpstreamFinishes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Gateway.Upstream.StreamGate = gate;
        try
        {
            using var response = await Gateway.Client.SendAsync(OpenAI(GatewayFixture.OpenAIModel, stream: true), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var first = await ReadUntilAsync(reader, "chat.completion.chunk").WaitAsync(TimeSpan.FromSeconds(10));
            gate.SetResult();

            var all = first + await reader.ReadToEndAsync();
            var text = string.Concat(EventData(all).Select(e => e["choices"]![0]!["delta"]!["content"]?.GetValue<string>() ?? ""));
            Assert.Equal(StubUpstream.ExpectedText, text);
            Assert.Contains("data: [DONE]", all);
        }
        finally
        {
            Gateway.Upstream.StreamGate = null;
        }
    }

    [Fact]
    public async Task Messages_RestrictedModelWithoutLocation_IsDeniedInAnthropicDialect()
    {
        using var response = await Gateway.Client.SendAsync(Anthropic(GatewayFixture.RestrictedModel));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("permission_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("available only to callers in the United States", body["error"]!["message"]!.GetValue<string>());
        Assert.StartsWith("geo.unknown_location; id=dec_", response.Headers.GetValues("gatehouse-decision").Single());
        Assert.Null(LastReceivedFor(GatewayFixture.RestrictedModel));
    }

    [Fact]
    public async Task ChatCompletions_RestrictedModel_IsDeniedInOpenAIDialectWithReasonCode()
    {
        using var response = await Gateway.Client.SendAsync(OpenAI(GatewayFixture.RestrictedModel));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("permission_error", error["type"]!.GetValue<string>());
        Assert.Equal("geo.unknown_location", error["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gh_notarealkey")]
    [InlineData("gh_aaaaaaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Messages_MissingOrInvalidKey_Is401InAnthropicDialect(string? key)
    {
        using var request = Request("/v1/messages", """{"model":"open-claude","messages":[]}""", r =>
        {
            if (key is not null)
            {
                r.Headers.Add("x-api-key", key);
            }
        });
        using var response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("authentication_error", body["error"]!["type"]!.GetValue<string>());
        Assert.True(response.Headers.Contains("request-id"));
    }

    [Fact]
    public async Task ChatCompletions_InvalidKey_Is401InOpenAIDialect()
    {
        using var response = await Gateway.Client.SendAsync(OpenAI(GatewayFixture.OpenAIModel, key: "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_TwoDifferentKeys_AreRefused()
    {
        using var request = Anthropic(GatewayFixture.AnthropicModel);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "gh_someoneelse");
        using var response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Messages_UnknownModel_Is404WithReason()
    {
        using var response = await Gateway.Client.SendAsync(Anthropic("no-such-model"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("not_found_error", body["error"]!["type"]!.GetValue<string>());
        Assert.StartsWith("model.unknown;", response.Headers.GetValues("gatehouse-decision").Single());
    }

    [Fact]
    public async Task Messages_BodyOverLimitWithContentLength_Is413()
    {
        var padding = new string('x', (int)GatewayFixture.BodyLimit);
        using var request = Request("/v1/messages", $$"""{"model":"open-claude","messages":[{"role":"user","content":"{{padding}}"}]}""",
            r => r.Headers.Add("x-api-key", Gateway.ApiKey));
        using var response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("request_too_large", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("(64 KiB)", body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChatCompletions_ChunkedBodyOverLimit_Is413InOpenAIDialect()
    {
        var padding = Encoding.UTF8.GetBytes($$"""{"model":"llama-3.1-405b","messages":[{"role":"user","content":"{{new string('x', (int)GatewayFixture.BodyLimit)}}"}]}""");
        var content = new StreamContent(new MemoryStream(padding));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Gateway.ApiKey);
        using var response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""["model"]""")]
    [InlineData("""{"model":"open-claude","model":"mythos-5"}""")]
    [InlineData("""{"model":"open-claude","mod\u0065l":"mythos-5"}""")]
    [InlineData("""{"model":42}""")]
    [InlineData("""{"messages":[]}""")]
    [InlineData("""{"model":"open-claude"} {"model":"mythos-5"}""")]
    public async Task Messages_MalformedOrAmbiguousBody_Is400AndNothingIsForwarded(string json)
    {
        var before = Gateway.Upstream.Received.Count;
        using var request = Request("/v1/messages", json, r => r.Headers.Add("x-api-key", Gateway.ApiKey));
        using var response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(before, Gateway.Upstream.Received.Count);
    }

    [Fact]
    public async Task Messages_UnreachableUpstream_Is502InDialect()
    {
        using var response = await Gateway.Client.SendAsync(Anthropic(GatewayFixture.UnreachableModel));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("api_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("endpoint offline", body["error"]!["message"]!.GetValue<string>());
        Assert.StartsWith("allowed;", response.Headers.GetValues("gatehouse-decision").Single());
    }

    [Fact]
    public async Task Messages_ModelServedOnlyByOpenAIEndpoint_IsRefusedWithTheRouteToUse()
    {
        using var response = await Gateway.Client.SendAsync(Anthropic(GatewayFixture.OpenAIModel));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>();
        Assert.Contains("POST /v1/chat/completions", message);
    }

    [Fact]
    public async Task Models_OpenAIDialect_ListsOnlyModelsTheCallerMayUse()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Gateway.ApiKey);
        using var response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("list", body["object"]!.GetValue<string>());
        var ids = body["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([GatewayFixture.OpenAIModel], ids);
    }

    [Fact]
    public async Task Models_AnthropicDialect_ListsAnthropicModelsWithoutRestrictedOnes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("x-api-key", Gateway.ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await Gateway.Client.SendAsync(request);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var ids = body["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(GatewayFixture.AnthropicModel, ids);
        Assert.DoesNotContain(GatewayFixture.RestrictedModel, ids);
        Assert.Equal("model", body["data"]![0]!["type"]!.GetValue<string>());
        Assert.False(body["has_more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Models_WithoutKey_Is401()
    {
        using var response = await Gateway.Client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WrongMethod_Is405InDialect()
    {
        using var response = await Gateway.Client.GetAsync("/v1/chat/completions");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("method_not_allowed", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownPath_Is404InDialect()
    {
        using var response = await Gateway.Client.GetAsync("/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]);
    }

    private static async Task<string> ReadUntilAsync(StreamReader reader, string marker)
    {
        var seen = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return seen.ToString();
            }
        }
        throw new InvalidOperationException($"The stream ended before '{marker}': {seen}");
    }

    private static IEnumerable<JsonNode> EventData(string stream) => stream
        .Split('\n')
        .Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
        .Select(l => JsonNode.Parse(l["data: ".Length..])!);
}
