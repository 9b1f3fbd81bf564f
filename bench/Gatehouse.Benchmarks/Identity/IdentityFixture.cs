using Gatehouse.Engine.Identity;

namespace Gatehouse.Benchmarks.Identity;

/// <summary>
/// Identity records at the scale the identity benchmarks measure: organisations, accounts with a
/// verified KYC profile each, and a few keys per account. Key hashes are random 32-byte arrays
/// (the size of a SHA-256) rather than hashes of issued secrets, which would cost a
/// cryptographic draw and a hash per key; only lookups by id and snapshot builds are measured.
/// Ids have the form <c>Identifiers.New</c> gives them, drawn without a system call each.
/// </summary>
internal static class IdentityFixture
{
    public const int Organizations = 1_000;
    public const int Accounts = 100_000;
    public const int KeysPerAccount = 3;
    public const int Keys = Accounts * KeysPerAccount;

    public static readonly DateTimeOffset Created = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Every account a verified profile billed, paying and registered in <paramref name="billing"/>, <paramref name="card"/> and <paramref name="registered"/>.</summary>
    public static IdentityData Create(string billing, string card, string registered, int seed)
    {
        var random = new Random(seed);
        var organizations = new List<Organization>(Organizations);
        for (var i = 0; i < Organizations; i++)
        {
            organizations.Add(new Organization(Identifiers.NewNonSecret("org"), $"organisation {i}", Created)
            {
                LegalName = $"Organisation {i} Inc.",
                RegisteredCountry = registered,
            });
        }
        var accounts = new List<Account>(Accounts);
        for (var i = 0; i < Accounts; i++)
        {
            accounts.Add(new Account(Identifiers.NewNonSecret("acc"), organizations[i % Organizations].Id, $"account {i}", $"account{i}@example.com", Created)
            {
                Kyc = new KycProfile
                {
                    LegalName = $"Account Holder {i}",
                    RegisteredCountry = registered,
                    Billing = new BillingAddress($"{i} Main Street", null, "Springfield", "62701", billing),
                    CardCountry = card,
                    Verification = VerificationStatus.Verified,
                    VerifiedAt = Created,
                    VerificationMethod = "document",
                },
            });
        }
        var keys = new List<ApiKeyRecord>(Keys);
        for (var i = 0; i < Keys; i++)
        {
            var hash = new byte[32];
            random.NextBytes(hash);
            keys.Add(new ApiKeyRecord(Identifiers.NewNonSecret(SecretToken.ApiKeyKind), accounts[i % Accounts].Id, $"key {i}", hash, Created));
        }
        return new IdentityData(organizations, accounts, keys, []);
    }

    /// <summary>The ids of <paramref name="count"/> of the data's keys, in a fixed random order.</summary>
    public static string[] ShuffledKeyIds(IdentityData data, int count, int seed)
    {
        var ids = data.ApiKeys.Select(k => k.Id).ToArray();
        new Random(seed).Shuffle(ids);
        return ids[..count];
    }
}
