using CsvHelper;

namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// A delimited file read record by record with CsvHelper, strictly: every record must have the
/// header's (or the expected) number of columns and well-formed quoting, since a record that
/// does not is most often a file cut short by a failed download. Values come back trimmed, with
/// empty values and the list's null marker as null.
/// </summary>
internal sealed class CsvTable : IDisposable
{
    /// <summary>DOS end-of-file: OFAC ends every official file with it, alone on the last line.</summary>
    private const string ControlZ = "\u001a";

    private readonly CsvReader _reader;
    private readonly CandidateFile _file;
    private readonly ReadProgress _progress;
    private readonly string? _nullMarker;
    private string[] _header = [];

    private CsvTable(CandidateFile file, ReadProgress progress, CsvReader reader, int columns, string? nullMarker)
    {
        _file = file;
        _progress = progress;
        _reader = reader;
        _nullMarker = nullMarker;
        Columns = columns;
    }

    /// <summary>A file without a header whose records have <paramref name="columns"/> columns.</summary>
    /// <param name="nullMarker">A value that means "none" (OFAC's <c>-0-</c>), compared after trimming.</param>
    public static CsvTable OpenHeaderless(CandidateFile file, ReadProgress progress, int columns, string? nullMarker = null) =>
        Open(file, progress, ',', hasHeader: false, columns, nullMarker);

    /// <summary>A file whose first line names its columns; every record must have as many.</summary>
    public static CsvTable OpenWithHeader(CandidateFile file, ReadProgress progress, char separator) =>
        Open(file, progress, separator, hasHeader: true, columns: 0, nullMarker: null);

    private static CsvTable Open(CandidateFile file, ReadProgress progress, char separator, bool hasHeader, int columns, string? nullMarker)
    {
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = hasHeader,
            TrackLineNumbers = true,
            // Skip only so that the handler below is asked; it throws, naming the line and what is wrong.
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = record => throw new SanctionsFormatException(file.Path, record.LineNumber, Describe(record.Reason)),
        };
        var reader = CsvReader.Create(progress.Open(file.Path), options, leaveOpen: false);
        var table = new CsvTable(file, progress, reader, columns, nullMarker);
        if (hasHeader)
        {
            table._header = table.Guard(() => reader.Headers.Select(name => name.Trim()).ToArray());
            table.Columns = table._header.Length;
            if (table.Columns == 0)
            {
                throw new SanctionsFormatException(file.Path, 1, "the file is empty; a header line was expected");
            }
        }
        return table;
    }

    public IReadOnlyList<string> Header => _header;

    public int Columns { get; private set; }

    /// <summary>The 1-based line where the current record starts, counting the lines inside quoted values.</summary>
    public long Line => _reader.LineNumber;

    /// <summary>The current record's value in column <paramref name="index"/>, trimmed; null when empty or the null marker.</summary>
    public string? this[int index]
    {
        get
        {
            var value = _reader.GetString(index).Trim();
            return value.Length == 0 || value == _nullMarker ? null : value;
        }
    }

    /// <summary>
    /// The value untrimmed, for text cut across two records (OFAC's remarks and their overflow),
    /// where the space at the cut is part of the text; null when empty or the null marker.
    /// </summary>
    public string? Untrimmed(int index)
    {
        var value = _reader.GetString(index);
        return value.Length == 0 || value.Trim() == _nullMarker ? null : value;
    }

    /// <summary>The index of a header column, matched exactly; the reader of a format names the columns it needs.</summary>
    public int Column(string name)
    {
        var index = Array.IndexOf(_header, name);
        return index >= 0
            ? index
            : throw new SanctionsFormatException(_file.Path, 1, $"no '{name}' column in the header ({string.Join(", ", Header)})");
    }

    /// <summary>Moves to the next record, passing over the final Ctrl-Z line; false at the end.</summary>
    public bool Read()
    {
        while (Guard(_reader.Read))
        {
            _progress.Update();
            if (_reader.FieldCount == 1 && _reader.GetString(0) == ControlZ)
            {
                continue;
            }
            if (_reader.FieldCount != Columns)
            {
                var cutShort = IsLastRecord ? "; it is the file's last record, so the file looks cut short" : "";
                throw Error($"expected {Columns} columns, found {_reader.FieldCount}{cutShort}");
            }
            return true;
        }
        return false;
    }

    public SanctionsFormatException Error(string message) => new(_file.Path, Line, message);

    public void Dispose() => _reader.Dispose();

    private bool IsLastRecord => _file.Length - (_reader.ByteOffset + _reader.RawRecord.Length) <= 2;

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CsvFormatException e)
        {
            throw new SanctionsFormatException(_file.Path, e.LineNumber, e.Message, e);
        }
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => "a quoted value is never closed, so the file looks cut short",
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted value",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a value",
        CsvMalformedReason.LineBreakInQuotes => "a line break inside a quoted value",
        _ => $"malformed record ({reason})",
    };
}
