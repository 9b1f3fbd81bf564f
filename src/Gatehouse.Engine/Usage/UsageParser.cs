using System.Buffers;
using System.Text.Json;

namespace Gatehouse.Engine.Usage;

/// <summary>The tokens one response reports: input (with cache writes and reads) and output.</summary>
public readonly record struct TokenUsage(long InputTokens, long OutputTokens);

/// <summary>How a response body is read for its usage.</summary>
public enum UsageBodyFormat
{
    /// <summary>One JSON object with <c>usage</c> at its top level (both APIs without streaming).</summary>
    Json,

    /// <summary>Server-sent events whose <c>data:</c> lines carry usage (Anthropic's <c>message_start</c> and <c>message_delta</c>, OpenAI's final chunk).</summary>
    EventStream,

    /// <summary>Anything else, including compressed bodies: counted as a request whose tokens are unknown.</summary>
    Unreadable,
}

/// <summary>
/// Reads the token usage of a response from its bytes as they pass on their way to the caller,
/// in whatever pieces they arrive, without holding the body: an event stream is read line by
/// line and only lines that mention <c>"usage"</c> are parsed; a JSON body is read token by
/// token, keeping only an unfinished token between pieces. Both APIs' field names are
/// understood: <c>input_tokens</c> (plus <c>cache_creation_input_tokens</c> and
/// <c>cache_read_input_tokens</c>) and <c>output_tokens</c>, or <c>prompt_tokens</c> and
/// <c>completion_tokens</c>. Every usage object read overwrites the fields it carries, because
/// both APIs report running totals (Anthropic's <c>message_delta</c> repeats the output so far).
/// Malformed input never throws: the parser stops reading and keeps what it had.
/// </summary>
public sealed class UsageParser : IDisposable
{
    /// <summary>Longer event lines are skipped: no usage event comes near this.</summary>
    public const int MaxEventLine = 256 * 1024;

    /// <summary>A JSON token longer than this (a huge string) ends reading: usage is then not known.</summary>
    public const int MaxJsonToken = 4 * 1024 * 1024;

    private enum Field : byte
    {
        None,
        Input,
        CacheCreation,
        CacheRead,
        Output,
    }

    private enum Parent : byte
    {
        Other,
        Usage,
        Message,
    }

    private readonly UsageBodyFormat _format;
    private byte[]? _pending;
    private int _pendingLength;
    private bool _skippingLine;
    private bool _stopped;
    private JsonReaderState _jsonState;

    // Where the JSON reader is: the property last named at depths 1 and 2, the usage object's depth
    // (-1 outside it) and the usage field whose value comes next. Kept between pieces of a JSON body.
    private Parent _atDepth1;
    private Parent _atDepth2;
    private int _usageDepth = -1;
    private Field _field;

    private long _input;
    private long _cacheCreation;
    private long _cacheRead;
    private long _output;
    private bool _seen;

    public UsageParser(UsageBodyFormat format) => _format = format;

    /// <summary>The reader for a body of this media type; <paramref name="encoded"/> (gzip and the like) makes any body unreadable.</summary>
    public static UsageParser For(string? mediaType, bool encoded) => new(encoded ? UsageBodyFormat.Unreadable : FormatOf(mediaType));

    private static UsageBodyFormat FormatOf(string? mediaType) => mediaType switch
    {
        null => UsageBodyFormat.Unreadable,
        _ when mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase) => UsageBodyFormat.EventStream,
        _ when mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase) => UsageBodyFormat.Json,
        _ => UsageBodyFormat.Unreadable,
    };

    public UsageBodyFormat Format => _format;

    /// <summary>The usage read so far; null while none was seen (or the body has none).</summary>
    public TokenUsage? Usage => _seen ? new TokenUsage(_input + _cacheCreation + _cacheRead, _output) : null;

    /// <summary>Reads the next piece of the body.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        if (_stopped || data.IsEmpty)
        {
            return;
        }
        if (_format == UsageBodyFormat.EventStream)
        {
            FeedEvents(data);
        }
        else if (_format == UsageBodyFormat.Json)
        {
            FeedJson(data);
        }
    }

    private void FeedEvents(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Hold(data);
                return;
            }
            var part = data[..newline];
            data = data[(newline + 1)..];
            if (_skippingLine)
            {
                _skippingLine = false;
                continue;
            }
            if (_pendingLength == 0)
            {
                EventLine(part);
                continue;
            }
            Hold(part);
            if (!_skippingLine)
            {
                EventLine(_pending.AsSpan(0, _pendingLength));
            }
            _skippingLine = false;
            _pendingLength = 0;
        }
    }

    /// <summary>Keeps the start of a line that continues in the next piece, unless the line is too long to be a usage event.</summary>
    private void Hold(ReadOnlySpan<byte> part)
    {
        if (_skippingLine)
        {
            return;
        }
        if (_pendingLength + part.Length > MaxEventLine)
        {
            _skippingLine = true;
            _pendingLength = 0;
            return;
        }
        Append(part);
    }

    private void EventLine(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith((byte)'\r'))
        {
            line = line[..^1];
        }
        if (!line.StartsWith("data:"u8))
        {
            return;
        }
        var payload = line[5..];
        if (payload.StartsWith((byte)' '))
        {
            payload = payload[1..];
        }
        // Nearly every event is text; only the few that carry usage are worth parsing.
        if (payload.IndexOf("\"usage\""u8) < 0)
        {
            return;
        }
        _atDepth1 = _atDepth2 = Parent.Other;
        _usageDepth = -1;
        _field = Field.None;
        var reader = new Utf8JsonReader(payload, isFinalBlock: true, default);
        try
        {
            Read(ref reader);
        }
        catch (JsonException)
        {
            // One garbled event says nothing about the others.
        }
    }

    private void FeedJson(ReadOnlySpan<byte> data)
    {
        if (_pendingLength > 0)
        {
            Append(data);
            data = _pending.AsSpan(0, _pendingLength);
        }
        var reader = new Utf8JsonReader(data, isFinalBlock: false, _jsonState);
        try
        {
            Read(ref reader);
        }
        catch (JsonException)
        {
            Stop();
            return;
        }
        _jsonState = reader.CurrentState;
        var rest = data[(int)reader.BytesConsumed..];
        if (rest.Length > MaxJsonToken)
        {
            Stop();
            return;
        }
        if (_pendingLength > 0)
        {
            // Overlapping copy to the front of the same buffer: Span.CopyTo moves memory safely.
            rest.CopyTo(_pending);
            _pendingLength = rest.Length;
        }
        else if (!rest.IsEmpty)
        {
            Append(rest);
        }
    }

    private void Read(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when _usageDepth >= 0:
                    _field = depth == _usageDepth + 1 ? FieldOf(ref reader) : Field.None;
                    break;
                case JsonTokenType.PropertyName when depth == 1:
                    _atDepth1 = reader.ValueTextEquals("usage"u8) ? Parent.Usage : reader.ValueTextEquals("message"u8) ? Parent.Message : Parent.Other;
                    break;
                case JsonTokenType.PropertyName when depth == 2:
                    _atDepth2 = reader.ValueTextEquals("usage"u8) ? Parent.Usage : Parent.Other;
                    break;
                case JsonTokenType.StartObject when _usageDepth < 0 &&
                    ((depth == 1 && _atDepth1 == Parent.Usage) || (depth == 2 && _atDepth1 == Parent.Message && _atDepth2 == Parent.Usage)):
                    _usageDepth = depth;
                    break;
                case JsonTokenType.EndObject when depth == _usageDepth:
                    _usageDepth = -1;
                    _field = Field.None;
                    break;
                case JsonTokenType.Number when _usageDepth >= 0 && depth == _usageDepth + 1 && _field != Field.None:
                    if (reader.TryGetInt64(out var count) && count >= 0)
                    {
                        Set(_field, count);
                    }
                    _field = Field.None;
                    break;
            }
        }
    }

    private static Field FieldOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("input_tokens"u8) || reader.ValueTextEquals("prompt_tokens"u8) ? Field.Input
        : reader.ValueTextEquals("output_tokens"u8) || reader.ValueTextEquals("completion_tokens"u8) ? Field.Output
        : reader.ValueTextEquals("cache_creation_input_tokens"u8) ? Field.CacheCreation
        : reader.ValueTextEquals("cache_read_input_tokens"u8) ? Field.CacheRead
        : Field.None;

    private void Set(Field field, long count)
    {
        _seen = true;
        switch (field)
        {
            case Field.Input:
                _input = count;
                break;
            case Field.CacheCreation:
                _cacheCreation = count;
                break;
            case Field.CacheRead:
                _cacheRead = count;
                break;
            case Field.Output:
                _output = count;
                break;
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        var needed = _pendingLength + data.Length;
        if (_pending is null || _pending.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1024));
            if (_pending is not null)
            {
                _pending.AsSpan(0, _pendingLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_pending);
            }
            _pending = larger;
        }
        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
    }

    private void Stop()
    {
        _stopped = true;
        _pendingLength = 0;
    }

    public void Dispose()
    {
        _stopped = true;
        if (_pending is { } pending)
        {
            _pending = null;
            _pendingLength = 0;
            ArrayPool<byte>.Shared.Return(pending);
        }
    }
}
