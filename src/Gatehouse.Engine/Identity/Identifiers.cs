using System.Buffers;
using System.Security.Cryptography;

namespace Gatehouse.Engine.Identity;

/// <summary>Random identifiers and secrets in lower-case base32, which survive copy, paste and URLs.</summary>
public static class Identifiers
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    /// <summary>An id such as <c>org_5kq3x7m2ha4b6c8d</c>: 80 random bits.</summary>
    public static string New(string prefix) => $"{prefix}_{Random(16)}";

    /// <summary>
    /// An id in the same form for things that must be unique but need not be unguessable —
    /// request and decision ids, two per request. A cryptographic generator costs a system call
    /// each time; this one is seeded from it once per process.
    /// </summary>
    public static string NewNonSecret(string prefix) =>
        string.Create(prefix.Length + 17, prefix, static (chars, prefix) =>
        {
            prefix.CopyTo(chars);
            chars[prefix.Length] = '_';
            var bits = (UInt128)(ulong)System.Random.Shared.NextInt64() << 64 | (ulong)System.Random.Shared.NextInt64();
            foreach (ref var c in chars[(prefix.Length + 1)..])
            {
                c = Alphabet[(int)(bits & 31)];
                bits >>= 5;
            }
        });

    /// <summary><paramref name="length"/> random base32 characters (5 bits each).</summary>
    public static string Random(int length) =>
        string.Create(length, 0, static (chars, _) =>
        {
            Span<byte> bytes = stackalloc byte[chars.Length];
            RandomNumberGenerator.Fill(bytes);
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[bytes[i] & 31];
            }
        });

    public static bool IsBase32(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(AlphabetValues);
}
