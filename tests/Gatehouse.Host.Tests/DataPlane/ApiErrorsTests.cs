using System.Text.Json.Nodes;
using Gatehouse.Engine.Models;
using Gatehouse.Host.DataPlane;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Host.Tests.DataPlane;

public sealed class ApiErrorsTests
{
    public static TheoryData<int, string, string, string> Kinds => new()
    {
        { 400, "invalid_request_error", "invalid_request_error", "invalid_request" },
        { 401, "authentication_error", "invalid_request_error", "invalid_api_key" },
        { 403, "permission_error", "permission_error", "permission_denied" },
        { 404, "not_found_error", "invalid_request_error", "not_found" },
        { 405, "invalid_request_error", "invalid_request_error", "method_not_allowed" },
        { 413, "request_too_large", "invalid_request_error", "request_too_large" },
        { 429, "rate_limit_error", "rate_limit_error", "rate_limit_exceeded" },
        { 502, "api_error", "api_error", "upstream_unavailable" },
        { 504, "timeout_error", "api_error", "upstream_timeout" },
    };

    private static async Task<(HttpContext Context, JsonNode Body)> WriteAsync(ApiDialect dialect, int status, string? code = null)
    {
        var context = new DefaultHttpContext { TraceIdentifier = "req_test" };
        var buffer = new MemoryStream();
        context.Response.Body = buffer;
        await ApiErrors.WriteAsync(context, dialect, ErrorKind.ForStatus(status), "Something a person can act on.", code);
        await context.Response.CompleteAsync();
        return (context, JsonNode.Parse(buffer.ToArray())!);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task WriteAsync_Anthropic_UsesAnthropicShapeAndType(int status, string anthropicType, string openAIType, string openAICode)
    {
        _ = (openAIType, openAICode);
        var (context, body) = await WriteAsync(ApiDialect.Anthropic, status);

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal(anthropicType, body["error"]!["type"]!.GetValue<string>());
        Assert.Equal("Something a person can act on.", body["error"]!["message"]!.GetValue<string>());
        Assert.Equal("req_test", body["request_id"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task WriteAsync_OpenAI_UsesOpenAIShapeTypeAndCode(int status, string anthropicType, string openAIType, string openAICode)
    {
        _ = anthropicType;
        var (context, body) = await WriteAsync(ApiDialect.OpenAI, status);

        Assert.Equal(status, context.Response.StatusCode);
        var error = body["error"]!;
        Assert.Equal(openAIType, error["type"]!.GetValue<string>());
        Assert.Equal(openAICode, error["code"]!.GetValue<string>());
        Assert.Equal("Something a person can act on.", error["message"]!.GetValue<string>());
        Assert.Null(body["type"]);
    }

    [Fact]
    public async Task WriteAsync_OpenAIWithReasonCode_PutsTheReasonInCode()
    {
        var (_, body) = await WriteAsync(ApiDialect.OpenAI, 403, "geo.country_restricted");

        Assert.Equal("geo.country_restricted", body["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("anthropic-version", "2023-06-01", ApiDialect.Anthropic)]
    [InlineData("x-api-key", "k", ApiDialect.Anthropic)]
    [InlineData("authorization", "Bearer k", ApiDialect.OpenAI)]
    public void DialectOf_SharedRoute_ReadsTheHeadersEachSdkSends(string header, string value, ApiDialect expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/v1/models";
        context.Request.Headers[header] = value;

        Assert.Equal(expected, ApiErrors.DialectOf(context.Request));
    }

    [Theory]
    [InlineData("/v1/messages", ApiDialect.Anthropic)]
    [InlineData("/v1/chat/completions", ApiDialect.OpenAI)]
    public void DialectOf_CompletionRoute_IsFixedByThePath(string path, ApiDialect expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.Headers["x-api-key"] = "k";
        context.Request.Headers["anthropic-version"] = expected == ApiDialect.OpenAI ? "2023-06-01" : null;

        Assert.Equal(expected, ApiErrors.DialectOf(context.Request));
    }
}
