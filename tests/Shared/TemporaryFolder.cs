namespace Gatehouse.Tests;

/// <summary>A folder of its own for one test's files, removed with everything in it.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("gatehouse-test-").FullName;

    public string Location => _path;

    public string PathOf(string name) => Path.Combine(_path, name);

    public string Write(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_path, recursive: true);
}
