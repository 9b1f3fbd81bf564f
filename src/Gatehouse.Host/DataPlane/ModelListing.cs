using System.Text.Json;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Models;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Identity;

namespace Gatehouse.Host.DataPlane;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: only what this caller may use, decided
/// model by model by the same pipeline that decides live requests, in the caller's dialect.
/// </summary>
internal sealed class ModelListing(ConfigurationState configurationState, IdentityState identityState, DecisionPipeline pipeline, KeyRateLimiter rateLimiter)
{
    // Neither API lets a gateway omit creation times; the configuration has none to give.
    private const string UnknownCreatedAt = "1970-01-01T00:00:00Z";

    public async Task ListAsync(HttpContext context)
    {
        var dialect = ApiErrors.DialectOf(context.Request);
        if (await DecideAsync(context, dialect, null) is not { } decisions)
        {
            return;
        }
        // A revoked key or a suspended account is refused, not shown an empty list; so is every caller while the shared counters refuse every model.
        var refusal = decisions.FirstOrDefault(d => ReasonCodes.RefusesEveryModel(d.ReasonCode)) ??
            (decisions.Count > 0 && decisions.TrueForAll(d => d.ReasonCode == ReasonCodes.CountersUnavailable) ? decisions[0] : null);
        if (refusal is not null)
        {
            await ApiErrors.WriteDenialAsync(context, dialect, refusal);
            return;
        }
        var allowed = decisions.Where(d => d.IsAllowed).Select(d => d.Model!).ToList();
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        if (dialect == ApiDialect.Anthropic)
        {
            writer.WriteStartArray("data");
            allowed.ForEach(m => WriteModel(writer, m, dialect));
            writer.WriteEndArray();
            writer.WriteBoolean("has_more", false);
            WriteNullableString(writer, "first_id", allowed.FirstOrDefault()?.Id);
            WriteNullableString(writer, "last_id", allowed.LastOrDefault()?.Id);
        }
        else
        {
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            allowed.ForEach(m => WriteModel(writer, m, dialect));
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        var dialect = ApiErrors.DialectOf(context.Request);
        if (await DecideAsync(context, dialect, id) is not [var decision])
        {
            return;
        }
        if (!decision.IsAllowed)
        {
            await ApiErrors.WriteDenialAsync(context, dialect, decision);
            return;
        }
        context.Response.Headers[ApiErrors.DecisionHeader] = ApiErrors.DecisionHeaderValue(decision);
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        WriteModel(writer, decision.Model!, dialect);
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Decisions for one model or all of them; null when the caller has already been answered
    /// (not authenticated, or over its key's rate limit).
    /// </summary>
    private async Task<List<Decision>?> DecideAsync(HttpContext context, ApiDialect dialect, string? only)
    {
        var configuration = configurationState.Current;
        var client = CallerIdentification.ResolveClient(context, configuration.TrustedProxies);
        var (principal, problem) = CallerIdentification.Authenticate(context.Request, identityState.Current);
        if (principal is null)
        {
            await ApiErrors.WriteAsync(context, dialect, ErrorKind.Unauthorized, problem);
            return null;
        }
        if (!await rateLimiter.AdmitAsync(context, dialect, principal.Key!))
        {
            return null;
        }
        var names = only is null ? configuration.Models.All.Select(m => m.Id) : [only];
        return [.. names.Select(name => pipeline.Decide(new DecisionRequest(client, principal, name, dialect), configuration))];
    }

    private static void WriteModel(Utf8JsonWriter writer, ModelDefinition model, ApiDialect dialect)
    {
        writer.WriteStartObject();
        if (dialect == ApiDialect.Anthropic)
        {
            writer.WriteString("type", "model");
            writer.WriteString("id", model.Id);
            writer.WriteString("display_name", model.DisplayName);
            writer.WriteString("created_at", UnknownCreatedAt);
        }
        else
        {
            writer.WriteString("id", model.Id);
            writer.WriteString("object", "model");
            writer.WriteNumber("created", 0);
            writer.WriteString("owned_by", "gatehouse");
        }
        writer.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
