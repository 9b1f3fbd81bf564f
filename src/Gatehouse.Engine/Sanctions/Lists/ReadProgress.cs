namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// The fraction of all input bytes read so far, over every file of every list in one call.
/// Readers open their files here and call <see cref="Update"/> once a record; a report goes out
/// only when the fraction has grown by a step, so a caller drawing a progress bar is not flooded
/// with one call a line. Fractions never go down, and the last report is exactly 1.
/// </summary>
internal sealed class ReadProgress(long totalBytes, IProgress<double>? sink)
{
    private const double Step = 0.01;

    private long _bytesOfClosedFiles;
    private FileStream? _current;
    private long _currentLength;
    private double _reported = -1;

    /// <summary>Opens the next file; the one before counts as read whole from now on.</summary>
    public FileStream Open(string path)
    {
        FinishCurrent();
        // No buffer of its own: the CSV and XML readers buffer, and Position then says what they took.
        _current = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        _currentLength = _current.Length;
        return _current;
    }

    public void Update()
    {
        if (sink is null || _current is null || totalBytes <= 0 || !_current.CanSeek)
        {
            return;
        }
        // The stream's position runs ahead of the record by one buffer: close enough for a bar.
        var fraction = Math.Min(1, (double)(_bytesOfClosedFiles + _current.Position) / totalBytes);
        if (fraction >= _reported + Step && fraction < 1)
        {
            _reported = fraction;
            sink.Report(fraction);
        }
    }

    public void Complete()
    {
        FinishCurrent();
        sink?.Report(1.0);
    }

    private void FinishCurrent()
    {
        if (_current is not null)
        {
            // The length taken at opening: the reader has disposed the stream by now.
            _bytesOfClosedFiles += _currentLength;
            _current = null;
        }
    }
}
