namespace Gatehouse.Engine.Configuration;

/// <summary>How the gateway reports on itself: log format, trace export and who may read <c>/metrics</c>. Read at start only.</summary>
public sealed record ObservabilitySettings(LogFormat LogFormat, Uri? OtlpEndpoint, OtlpProtocol OtlpProtocol, bool MetricsRequireToken)
{
    public static ObservabilitySettings Default { get; } = new(LogFormat.Text, null, OtlpProtocol.Http, false);
}

public enum LogFormat
{
    /// <summary>One line per entry, for people.</summary>
    Text,

    /// <summary>One JSON object per line, for log collectors.</summary>
    Json,
}

/// <summary>The OTLP transport spans are exported with.</summary>
public enum OtlpProtocol
{
    /// <summary>HTTP with protobuf bodies, to <c>{endpoint}/v1/traces</c> (a collector's port 4318).</summary>
    Http,

    /// <summary>gRPC (a collector's port 4317).</summary>
    Grpc,
}
