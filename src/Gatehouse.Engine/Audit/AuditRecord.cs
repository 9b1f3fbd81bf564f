using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gatehouse.Engine.Audit;

[JsonConverter(typeof(JsonStringEnumConverter<AuditRecordKind>))]
public enum AuditRecordKind
{
    /// <summary>A data-plane decision: allow, deny or substitute.</summary>
    [JsonStringEnumMemberName("decision")]
    Decision,

    /// <summary>A change made through the admin API or CLI.</summary>
    [JsonStringEnumMemberName("admin")]
    Admin,

    /// <summary>Written when retention dropped the oldest records: it carries the hash they ended with.</summary>
    [JsonStringEnumMemberName("checkpoint")]
    Checkpoint,
}

/// <summary>Hashes as lower-case hex in JSON, as <c>sha256sum</c> prints them.</summary>
public sealed class HexJsonConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Convert.FromHexString(reader.GetString() ?? throw new JsonException("A hash must be a hex string."));

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => writer.WriteStringValue(Convert.ToHexStringLower(value));
}

/// <summary>
/// One entry of the hash-chained audit log. Every field but the hashes is covered by
/// <see cref="Hash"/>, which also covers the previous record's hash, so that changing, removing
/// or reordering a record breaks the chain from there on.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>Position in the chain, from 1, without gaps; given by the writer.</summary>
    public long Sequence { get; init; }

    public required DateTimeOffset Time { get; init; }
    public required AuditRecordKind Kind { get; init; }

    public string? RequestId { get; init; }
    public string? DecisionId { get; init; }

    /// <summary>The key's public id (<c>gh_…</c>); never its secret.</summary>
    public string? KeyId { get; init; }

    public string? AccountId { get; init; }
    public string? OrganizationId { get; init; }
    public string? Client { get; init; }
    public string? Country { get; init; }
    public string? NetworkType { get; init; }

    /// <summary>The model the caller named.</summary>
    public string? RequestedModel { get; init; }

    /// <summary>The model that serves, or would have: the substitute when one serves.</summary>
    public string? Model { get; init; }

    public string? Endpoint { get; init; }
    public string? Region { get; init; }
    public string? Effect { get; init; }
    public string? ReasonCode { get; init; }
    public string? Layer { get; init; }
    public string? Rule { get; init; }
    public string? LicenseId { get; init; }
    public string? LicenseNumber { get; init; }

    /// <summary>Who made an admin change (a token id, or <c>gatehouse</c> itself).</summary>
    public string? Actor { get; init; }

    public string? Action { get; init; }
    public string? TargetId { get; init; }

    /// <summary>The decision's sentence, or what an admin change changed.</summary>
    public string? Detail { get; init; }

    public string? Comment { get; init; }

    /// <summary>On a checkpoint: the last sequence number retention dropped.</summary>
    public long? DroppedThrough { get; init; }

    /// <summary>On a checkpoint: the hash of record <see cref="DroppedThrough"/>, which the first kept record follows.</summary>
    public string? DroppedHash { get; init; }

    [JsonConverter(typeof(HexJsonConverter))]
    public byte[] PreviousHash { get; init; } = [];

    [JsonConverter(typeof(HexJsonConverter))]
    public byte[] Hash { get; init; } = [];

    /// <summary>
    /// The text fields in their canonical order, by the names exports and the store use. The order
    /// is part of the hash: append new fields at the end, never reorder.
    /// </summary>
    public static IReadOnlyList<(string Name, Func<AuditRecord, string?> Value)> TextFields { get; } =
    [
        ("request_id", r => r.RequestId),
        ("decision_id", r => r.DecisionId),
        ("key_id", r => r.KeyId),
        ("account_id", r => r.AccountId),
        ("organization_id", r => r.OrganizationId),
        ("client", r => r.Client),
        ("country", r => r.Country),
        ("network_type", r => r.NetworkType),
        ("requested_model", r => r.RequestedModel),
        ("model", r => r.Model),
        ("endpoint", r => r.Endpoint),
        ("region", r => r.Region),
        ("effect", r => r.Effect),
        ("reason_code", r => r.ReasonCode),
        ("layer", r => r.Layer),
        ("rule", r => r.Rule),
        ("license_id", r => r.LicenseId),
        ("license_number", r => r.LicenseNumber),
        ("actor", r => r.Actor),
        ("action", r => r.Action),
        ("target_id", r => r.TargetId),
        ("detail", r => r.Detail),
        ("comment", r => r.Comment),
        ("dropped_hash", r => r.DroppedHash),
    ];
}
