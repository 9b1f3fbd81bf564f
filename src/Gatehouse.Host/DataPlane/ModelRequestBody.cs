using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace Gatehouse.Host.DataPlane;

/// <summary>
/// A buffered request body and the model it names. The decision reads the model from these
/// exact bytes, and these bytes (with only the model value replaced) are what goes upstream.
/// </summary>
internal sealed class ModelRequestBody
{
    private ModelRequestBody(byte[] bytes, string model, int modelTokenStart, int modelTokenLength)
    {
        Bytes = bytes;
        Model = model;
        _modelTokenStart = modelTokenStart;
        _modelTokenLength = modelTokenLength;
    }

    private readonly int _modelTokenStart;
    private readonly int _modelTokenLength;

    public byte[] Bytes { get; }

    /// <summary>The model as a JSON parser upstream will read it (escapes decoded).</summary>
    public string Model { get; }

    /// <summary>The body with the model's value replaced; every other byte is kept as sent.</summary>
    public byte[] WithModel(string model)
    {
        if (model == Model)
        {
            return Bytes;
        }
        var encoded = JsonEncodedText.Encode(model);
        var replacement = Encoding.UTF8.GetBytes($"\"{encoded}\"");
        var result = new byte[Bytes.Length - _modelTokenLength + replacement.Length];
        Bytes.AsSpan(0, _modelTokenStart).CopyTo(result);
        replacement.CopyTo(result.AsSpan(_modelTokenStart));
        Bytes.AsSpan(_modelTokenStart + _modelTokenLength).CopyTo(result.AsSpan(_modelTokenStart + replacement.Length));
        return result;
    }

    /// <summary>Reads and checks the body; a failure is a status and a sentence for the caller.</summary>
    public static async Task<(ModelRequestBody? Body, ErrorKind? Error, string Message)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (null, ErrorKind.PayloadTooLarge, TooLarge(limit));
        }
        if (!IsJson(request.ContentType))
        {
            return (null, ErrorKind.BadRequest, "The request body must be JSON, sent with Content-Type: application/json.");
        }
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ErrorKind.BadRequest, $"Compressed request bodies (Content-Encoding: {encoding}) are not accepted; send the JSON uncompressed.");
        }

        var bytes = await ReadAllAsync(request.BodyReader, limit, cancellationToken);
        if (bytes is null)
        {
            return (null, ErrorKind.PayloadTooLarge, TooLarge(limit));
        }
        return Parse(bytes);
    }

    internal static (ModelRequestBody? Body, ErrorKind? Error, string Message) Parse(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 128 });
        string? model = null;
        int modelStart = 0, modelLength = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, ErrorKind.BadRequest, "The request body must be a JSON object.");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // ValueTextEquals decodes escapes, so "mod\u0065l" is caught as "model", as upstream would read it.
                var isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (!isModel)
                {
                    reader.Skip();
                    continue;
                }
                if (model is not null)
                {
                    return (null, ErrorKind.BadRequest, "The request body names 'model' more than once; send it once.");
                }
                if (reader.TokenType != JsonTokenType.String)
                {
                    return (null, ErrorKind.BadRequest, "'model' must be a string naming the model, e.g. \"model\": \"llama-3.1-405b\".");
                }
                model = reader.GetString()!;
                modelStart = (int)reader.TokenStartIndex;
                modelLength = reader.ValueSpan.Length + 2;
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return (null, ErrorKind.BadRequest, "The request body is not valid JSON: unexpected content after the object.");
            }
        }
        catch (JsonException e)
        {
            return (null, ErrorKind.BadRequest, $"The request body is not valid JSON: {ShortReason(e)}");
        }
        if (string.IsNullOrEmpty(model))
        {
            return (null, ErrorKind.BadRequest, "The request body must name a model: \"model\": \"<model id>\". GET /v1/models lists them.");
        }
        return (new ModelRequestBody(bytes, model, modelStart, modelLength), null, "");
    }

    private static async Task<byte[]?> ReadAllAsync(PipeReader reader, long limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }
            if (result.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }
            // Consume nothing, examine everything: the pipe keeps the bytes and waits for more.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null &&
        contentType.AsSpan().TrimStart().StartsWith("application/json", StringComparison.OrdinalIgnoreCase);

    private static string TooLarge(long limit) =>
        $"The request body is larger than this gateway accepts ({limit switch
        {
            _ when limit % (1 << 20) == 0 => $"{limit >> 20} MiB",
            _ when limit % (1 << 10) == 0 => $"{limit >> 10} KiB",
            _ => $"{limit} bytes",
        }}).";

    // JsonException messages name a line and byte position; keep that, drop the .NET type names.
    private static string ShortReason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
