using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Benchmarks.Identity;

/// <summary>
/// Key authentication on every request. The baseline is the dictionary lookup alone, so the
/// difference is the price of parsing the token and hashing its secret.
/// </summary>
[MemoryDiagnoser]
public class IdentitySnapshotBenchmarks
{
    private static readonly DateTimeOffset Created = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private IdentitySnapshot _snapshot = IdentitySnapshot.Empty;
    private Dictionary<string, Principal> _plain = [];
    private string _keyId = "";
    private string _validKey = "";
    private string _wrongSecret = "";

    [Params(10_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var organization = new Organization(Identifiers.New("org"), "bench", Created);
        // Ten keys per account, as a mid-sized organisation might have.
        var accounts = Enumerable.Range(0, Keys / 10)
            .Select(i => new Account(Identifiers.New("acc"), organization.Id, $"account {i}", null, Created))
            .ToList();
        var tokens = new List<IssuedToken>(Keys);
        var records = new List<ApiKeyRecord>(Keys);
        for (var i = 0; i < Keys; i++)
        {
            var issued = SecretToken.Issue(SecretToken.ApiKeyKind);
            tokens.Add(issued);
            records.Add(new ApiKeyRecord(issued.Id, accounts[i % accounts.Count].Id, $"key {i}", issued.SecretHash, Created));
        }
        _snapshot = IdentitySnapshot.Build(new IdentityData([organization], accounts, records, []));

        var byAccount = accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        _plain = records.ToDictionary(r => r.Id, r => new Principal(r, byAccount[r.AccountId], organization), StringComparer.Ordinal);

        var chosen = tokens[Keys / 2];
        _keyId = chosen.Id;
        _validKey = chosen.Token;
        // Same id, different (well-formed) secret: the lookup succeeds and the hash comparison fails.
        var lastChar = _validKey[^1] == 'a' ? 'b' : 'a';
        _wrongSecret = _validKey[..^1] + lastChar;

        if (_snapshot.Authenticate(_validKey)?.Key?.Id != _keyId || _snapshot.Authenticate(_wrongSecret) is not null)
        {
            throw new InvalidOperationException("The snapshot does not authenticate as expected.");
        }
    }

    [Benchmark(Baseline = true)]
    public Principal? DictionaryLookup() => _plain.GetValueOrDefault(_keyId);

    [Benchmark]
    public Principal? Authenticate_Valid() => _snapshot.Authenticate(_validKey);

    [Benchmark]
    public Principal? Authenticate_WrongSecret() => _snapshot.Authenticate(_wrongSecret);
}
