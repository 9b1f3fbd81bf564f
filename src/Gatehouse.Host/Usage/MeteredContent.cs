using System.Net;
using Gatehouse.Engine.Usage;

namespace Gatehouse.Host.Usage;

/// <summary>
/// An upstream response body that shows every piece read from it to a <see cref="UsageParser"/>
/// on its way to the caller: nothing is buffered, added or changed.
/// </summary>
internal sealed class MeteredContent(HttpContent inner, UsageParser parser) : HttpContent
{
    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new MeteredStream(await inner.ReadAsStreamAsync(cancellationToken), parser);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await CreateContentReadStreamAsync(cancellationToken);
        await source.CopyToAsync(stream, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Reads from the upstream's stream and hands each piece to the parser before returning it.</summary>
    private sealed class MeteredStream(Stream inner, UsageParser parser) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            parser.Feed(buffer[..read]);
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var reading = inner.ReadAsync(buffer, cancellationToken);
            if (reading.IsCompletedSuccessfully)
            {
                var read = reading.Result;
                parser.Feed(buffer.Span[..read]);
                return new ValueTask<int>(read);
            }
            return AwaitAsync(reading, buffer);
        }

        private async ValueTask<int> AwaitAsync(ValueTask<int> reading, Memory<byte> buffer)
        {
            var read = await reading;
            parser.Feed(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
