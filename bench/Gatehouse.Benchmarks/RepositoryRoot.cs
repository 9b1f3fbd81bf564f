namespace Gatehouse.Benchmarks;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Gatehouse.slnx, above wherever BenchmarkDotNet runs the generated project from.</summary>
    public static string Path { get; } = Find();

    /// <summary>The data files kept beside the repository in <c>../shared/data</c> (read there, never copied in).</summary>
    public static string SharedData(params string[] parts) => System.IO.Path.Combine([Path, "..", "shared", "data", .. parts]);

    private static string Find()
    {
        foreach (var start in (string[])[AppContext.BaseDirectory, Directory.GetCurrentDirectory()])
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(folder.FullName, "Gatehouse.slnx")))
                {
                    return folder.FullName;
                }
            }
        }
        throw new InvalidOperationException("Gatehouse.slnx not found above " + AppContext.BaseDirectory);
    }
}
