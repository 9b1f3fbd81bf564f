using System.Globalization;
using Gatehouse.Engine.Audit;

namespace Gatehouse.Host.Audit;

/// <summary>The head file: one line, <c>&lt;sequence&gt; &lt;hash in hex&gt;</c>.</summary>
internal static class AuditHeadFile
{
    public static void Write(string path, AuditHead head)
    {
        // Written beside and renamed over, so that a reader never sees half a line.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, $"{head.Sequence.ToString(CultureInfo.InvariantCulture)} {Convert.ToHexStringLower(head.Hash)}\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <returns>Null when there is no head file (a log that was never written to, or kept elsewhere).</returns>
    /// <exception cref="InvalidDataException">The file is not a head file.</exception>
    public static AuditHead? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var parts = File.ReadAllText(path).Trim().Split(' ');
        var hash = new byte[AuditChain.HashSize];
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) &&
            Convert.FromHexString(parts[1], hash, out _, out var written) == System.Buffers.OperationStatus.Done && written == hash.Length
            ? new AuditHead(sequence, hash)
            : throw new InvalidDataException($"{path} is not an audit head file: expected '<sequence> <sha-256 in hex>'.");
    }
}
