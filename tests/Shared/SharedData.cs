namespace Gatehouse.Tests;

/// <summary>The data files kept beside the repository in <c>../shared/data</c> (read there, never copied in).</summary>
internal static class SharedData
{
    public static string Root { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot.Path, "..", "shared", "data"));

    /// <summary>A folder or file under <c>../shared/data/sanctions</c>, e.g. <c>Sanctions("ofac_sdn_2021-07")</c>.</summary>
    public static string Sanctions(params string[] parts) => System.IO.Path.Combine([Root, "sanctions", .. parts]);
}
