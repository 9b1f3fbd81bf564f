using System.Text.Json;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Models;

namespace Gatehouse.Host.DataPlane;

/// <summary>The kinds of failure the data plane answers, each with its status and wire names in both dialects.</summary>
internal sealed record ErrorKind(int Status, string AnthropicType, string OpenAIType, string OpenAICode)
{
    public static readonly ErrorKind BadRequest = new(400, "invalid_request_error", "invalid_request_error", "invalid_request");
    public static readonly ErrorKind Unauthorized = new(401, "authentication_error", "invalid_request_error", "invalid_api_key");
    public static readonly ErrorKind Forbidden = new(403, "permission_error", "permission_error", "permission_denied");
    public static readonly ErrorKind NotFound = new(404, "not_found_error", "invalid_request_error", "not_found");
    public static readonly ErrorKind MethodNotAllowed = new(405, "invalid_request_error", "invalid_request_error", "method_not_allowed");
    public static readonly ErrorKind PayloadTooLarge = new(413, "request_too_large", "invalid_request_error", "request_too_large");
    public static readonly ErrorKind RateLimited = new(429, "rate_limit_error", "rate_limit_error", "rate_limit_exceeded");
    public static readonly ErrorKind Internal = new(500, "api_error", "server_error", "internal_error");
    public static readonly ErrorKind BadGateway = new(502, "api_error", "api_error", "upstream_unavailable");
    public static readonly ErrorKind Unavailable = new(503, "api_error", "api_error", "unavailable");
    public static readonly ErrorKind GatewayTimeout = new(504, "timeout_error", "api_error", "upstream_timeout");

    public static ErrorKind ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => PayloadTooLarge,
        429 => RateLimited,
        502 => BadGateway,
        503 => Unavailable,
        504 => GatewayTimeout,
        _ => Internal,
    };
}

/// <summary>
/// Writes errors the way the caller's SDK expects them. Anthropic:
/// <c>{"type":"error","error":{"type":…,"message":…}}</c>; OpenAI:
/// <c>{"error":{"message":…,"type":…,"code":…}}</c>.
/// </summary>
internal static class ApiErrors
{
    public const string DecisionHeader = "gatehouse-decision";

    /// <param name="code">For OpenAI's <c>code</c> field; a decision's reason code when there is one.</param>
    public static async Task WriteAsync(HttpContext context, ApiDialect dialect, ErrorKind kind, string message, string? code = null)
    {
        var response = context.Response;
        response.StatusCode = kind.Status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        if (dialect == ApiDialect.Anthropic)
        {
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", kind.AnthropicType);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteString("request_id", context.TraceIdentifier);
        }
        else
        {
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", kind.OpenAIType);
            writer.WriteNull("param");
            writer.WriteString("code", code ?? kind.OpenAICode);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>The <c>gatehouse-decision</c> value: the reason code and the id an operator looks the decision up by.</summary>
    public static string DecisionHeaderValue(Decision decision) => $"{decision.ReasonCode}; id={decision.Id}";

    /// <summary>Answers a denied decision: its status, its sentence, and its reason code in the header and (OpenAI) the body.</summary>
    public static Task WriteDenialAsync(HttpContext context, ApiDialect dialect, Decision decision)
    {
        context.Response.Headers[DecisionHeader] = DecisionHeaderValue(decision);
        if (decision.ReasonCode == ReasonCodes.CountersUnavailable)
        {
            AskToRetrySoon(context);
        }
        return WriteAsync(context, dialect, ErrorKind.ForStatus(decision.StatusCode), decision.Message, decision.ReasonCode);
    }

    /// <summary>
    /// For a refusal that lasts only while a backend (Redis, the audit store) is away: both
    /// providers' SDKs retry a 503 by themselves, and wait as long as <c>retry-after</c> says.
    /// </summary>
    public static void AskToRetrySoon(HttpContext context) => context.Response.Headers.RetryAfter = TransientRetryAfterSeconds;

    private const string TransientRetryAfterSeconds = "2";

    /// <summary>
    /// The dialect a request speaks: fixed by the two completion routes; elsewhere read from the
    /// headers, since Anthropic's SDKs send <c>anthropic-version</c> and usually <c>x-api-key</c>.
    /// Everything else is taken as OpenAI.
    /// </summary>
    public static ApiDialect DialectOf(HttpRequest request)
    {
        if (request.Path.StartsWithSegments("/v1/messages"))
        {
            return ApiDialect.Anthropic;
        }
        if (request.Path.StartsWithSegments("/v1/chat/completions"))
        {
            return ApiDialect.OpenAI;
        }
        return request.Headers.ContainsKey("anthropic-version") || request.Headers.ContainsKey("x-api-key")
            ? ApiDialect.Anthropic
            : ApiDialect.OpenAI;
    }
}
