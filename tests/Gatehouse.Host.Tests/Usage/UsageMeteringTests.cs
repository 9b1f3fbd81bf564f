using System.Net;
using Gatehouse.Host.Tests.Support;
using TestUpstream;

namespace Gatehouse.Host.Tests.Usage;

/// <summary>Usage read from real responses of the stub upstream, streamed and not, in both APIs, through a real gateway.</summary>
public sealed class UsageMeteringTests : IAsyncLifetime
{
    private const long In = StubUpstream.InputTokens;
    private const long Out = StubUpstream.OutputTokens;

    private MeteringGateway _sut = null!;

    public async Task InitializeAsync() => _sut = new MeteringGateway(await GatewayInstance.StartAsync(u => MeteringGateway.Configuration(u)));

    public async Task DisposeAsync() => await _sut.Gateway.DisposeAsync();

    /// <summary>Price per million tokens, as dollars per token times the tokens.</summary>
    private static decimal Cost(long input, decimal inputPrice, long output, decimal outputPrice) => (input * inputPrice + output * outputPrice) / 1_000_000m;

    [Fact]
    public async Task NonStreaming_BothApis_RecordTokensAndCostPerModel()
    {
        var caller = await _sut.CallerAsync();

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _sut.SendAsync(caller, MeteringGateway.AnthropicModel)).Response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await _sut.SendAsync(caller, MeteringGateway.OpenAIModel, openAI: true)).Response.StatusCode);

        var anthropic = await _sut.UsageOfAsync(caller, MeteringGateway.AnthropicModel);
        Assert.Equal((2L, 0L, 2 * In, 2 * Out, 2 * Cost(In, 3m, Out, 15m)),
            (anthropic!.Requests, anthropic.UnmeteredRequests, anthropic.InputTokens, anthropic.OutputTokens, anthropic.CostUsd));
        var openAI = await _sut.UsageOfAsync(caller, MeteringGateway.OpenAIModel);
        Assert.Equal((1L, 0L, In, Out, Cost(In, 0.5m, Out, 1.5m)), (openAI!.Requests, openAI.UnmeteredRequests, openAI.InputTokens, openAI.OutputTokens, openAI.CostUsd));
    }

    [Fact]
    public async Task Streaming_BothApis_RecordTheStreamsUsage_AndPassTheEventsOnUnchanged()
    {
        var caller = await _sut.CallerAsync();

        var (anthropicResponse, anthropicBody) = await _sut.SendAsync(caller, MeteringGateway.AnthropicModel, extra: "\"stream\":true");
        var (openAIResponse, openAIBody) = await _sut.SendAsync(caller, MeteringGateway.OpenAIModel, openAI: true, extra: "\"stream\":true,\"stream_options\":{\"include_usage\":true}");

        Assert.Equal("text/event-stream", anthropicResponse.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"event: message_delta\ndata: {{\"type\":\"message_delta\",\"delta\":{{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}},\"usage\":{{\"output_tokens\":{Out}}}}}\n\n", anthropicBody);
        Assert.Contains($"\"choices\":[],\"usage\":{{\"prompt_tokens\":{In},\"completion_tokens\":{Out},\"total_tokens\":{In + Out}}}}}\n\ndata: [DONE]\n\n", openAIBody);
        Assert.Equal((1L, In, Out, Cost(In, 3m, Out, 15m)), await Totals(caller, MeteringGateway.AnthropicModel));
        Assert.Equal((1L, In, Out, Cost(In, 0.5m, Out, 1.5m)), await Totals(caller, MeteringGateway.OpenAIModel));
        Assert.Equal(HttpStatusCode.OK, openAIResponse.StatusCode);
    }

    private async Task<(long Requests, long Input, long Output, decimal Cost)> Totals(MeteringGateway.Caller caller, string model) =>
        await _sut.UsageOfAsync(caller, model) is { } row ? (row.Requests, row.InputTokens, row.OutputTokens, row.CostUsd) : default;

    [Fact]
    public async Task OpenAIStream_WithoutIncludeUsage_IsCountedUnmetered_AndTheBodyIsNotRewritten()
    {
        var caller = await _sut.CallerAsync();

        var (response, body) = await _sut.SendAsync(caller, MeteringGateway.OpenAIModel, openAI: true, extra: "\"stream\":true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("usage", body);
        Assert.DoesNotContain("stream_options", _sut.Gateway.Upstream.Received.Last().Body);
        var row = await _sut.UsageOfAsync(caller, MeteringGateway.OpenAIModel);
        Assert.Equal((1L, 1L, 0L, 0L, 0m), (row!.Requests, row.UnmeteredRequests, row.InputTokens, row.OutputTokens, row.CostUsd));
    }

    [Fact]
    public async Task UnpricedModel_CountsTokensAtNoCost()
    {
        var caller = await _sut.CallerAsync();

        await _sut.SendAsync(caller, MeteringGateway.UnpricedModel, extra: "\"stream\":true");

        Assert.Equal((1L, In, Out, 0m), await Totals(caller, MeteringGateway.UnpricedModel));
    }

    [Fact]
    public async Task RefusedOrFailedRequests_AreNotCounted()
    {
        var caller = await _sut.CallerAsync();

        Assert.Equal(HttpStatusCode.BadGateway, (await _sut.SendAsync(caller, MeteringGateway.OfflineModel)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _sut.SendAsync(caller, "no-such-model")).Response.StatusCode);

        Assert.Empty((await _sut.UsageAsync($"accountId={caller.AccountId}")).Rows);
    }

    [Fact]
    public async Task CompressionAsked_IsNotPassedUpstream_SoTheUsageCanBeRead()
    {
        var caller = await _sut.CallerAsync();

        var (response, _) = await _sut.SendAsync(caller, MeteringGateway.AnthropicModel, header: ("Accept-Encoding", "gzip, br"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(_sut.Gateway.Upstream.Received.Last().Headers.ContainsKey("accept-encoding"));
        Assert.Equal((1L, In, Out, Cost(In, 3m, Out, 15m)), await Totals(caller, MeteringGateway.AnthropicModel));
    }

    [Fact]
    public async Task Report_ByDefault_IsPerDayAccountOrganisationAndModel_WithATotal()
    {
        var first = await _sut.CallerAsync();
        var second = await _sut.CallerAsync(first.OrganizationId);
        await _sut.SendAsync(first, MeteringGateway.AnthropicModel);
        await _sut.SendAsync(second, MeteringGateway.OpenAIModel, openAI: true);

        var report = await _sut.UsageAsync($"organizationId={first.OrganizationId}");

        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        Assert.Equal(["day", "account", "organization", "model"], report.By);
        Assert.Equal(today, report.To);
        Assert.Equal(today.AddDays(-29), report.From);
        var expected = new[] { (today, first.AccountId, first.OrganizationId, MeteringGateway.AnthropicModel), (today, second.AccountId, first.OrganizationId, MeteringGateway.OpenAIModel) }
            .OrderBy(r => r.AccountId, StringComparer.Ordinal);
        Assert.Equal(expected, report.Rows.Select(r => (r.Day!.Value, r.AccountId!, r.OrganizationId!, r.Model!)));
        Assert.Equal((2L, 2 * In, 2 * Out, Cost(In, 3m, Out, 15m) + Cost(In, 0.5m, Out, 1.5m)),
            (report.Total.Requests, report.Total.InputTokens, report.Total.OutputTokens, report.Total.CostUsd));
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2026-11-24&to=2026-11-23", "from")]
    [InlineData("by=day,country", "by")]
    public async Task Report_BadQuery_Is400NamingTheField(string query, string field)
    {
        using var response = await _sut.Gateway.Admin.GetAsync($"/admin/v1/usage?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }
}
