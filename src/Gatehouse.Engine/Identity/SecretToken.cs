using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Engine.Identity;

/// <summary>
/// Bearer secrets of the form <c>&lt;kind&gt;_&lt;id&gt;_&lt;secret&gt;</c>: <c>gh_…</c> for data-plane API
/// keys, <c>gha_…</c> for admin tokens. The id part locates the record; only a hash of the
/// secret part is stored.
/// </summary>
/// <remarks>
/// The secret is 260 random bits, so a plain SHA-256 cannot be reversed by guessing; a slow
/// password hash would only add milliseconds to every request without adding safety.
/// </remarks>
public static class SecretToken
{
    public const string ApiKeyKind = "gh";
    public const string AdminTokenKind = "gha";
    private const int IdLength = 16;
    private const int SecretLength = 52;

    /// <summary>A new token. <see cref="IssuedToken.Token"/> is shown to its owner once and never stored.</summary>
    public static IssuedToken Issue(string kind)
    {
        var id = $"{kind}_{Identifiers.Random(IdLength)}";
        var secret = Identifiers.Random(SecretLength);
        return new IssuedToken(id, $"{id}_{secret}", Hash(secret));
    }

    /// <summary>
    /// Splits a presented token into its record id and secret, as slices of it so that checking a
    /// key allocates nothing; false for anything malformed.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> presented, string kind, out ReadOnlySpan<char> id, out ReadOnlySpan<char> secret)
    {
        id = secret = default;
        var expectedLength = kind.Length + 1 + IdLength + 1 + SecretLength;
        if (presented.Length != expectedLength ||
            !presented.StartsWith(kind, StringComparison.Ordinal) ||
            presented[kind.Length] != '_' ||
            presented[kind.Length + 1 + IdLength] != '_')
        {
            return false;
        }
        var idPart = presented.Slice(kind.Length + 1, IdLength);
        var secretPart = presented[(kind.Length + 2 + IdLength)..];
        if (!Identifiers.IsBase32(idPart) || !Identifiers.IsBase32(secretPart))
        {
            return false;
        }
        id = presented[..(kind.Length + 1 + IdLength)];
        secret = secretPart;
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.ASCII.GetBytes(secret));

    /// <summary>Compares in constant time so that response timing reveals nothing about the stored hash.</summary>
    public static bool Matches(ReadOnlySpan<char> secret, byte[] storedHash)
    {
        if (secret.Length != SecretLength)
        {
            return false;
        }
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> secretBytes = stackalloc byte[SecretLength];
        var written = Encoding.ASCII.GetBytes(secret, secretBytes);
        SHA256.HashData(secretBytes[..written], presentedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, storedHash);
    }
}

/// <param name="Id">The record id, also the token's visible prefix (e.g. <c>gh_5kq3x7m2ha4b6c8d</c>).</param>
/// <param name="Token">The whole token, shown once.</param>
/// <param name="SecretHash">SHA-256 of the secret part, the only form stored.</param>
public sealed record IssuedToken(string Id, string Token, byte[] SecretHash)
{
    public override string ToString() => Id;
}
