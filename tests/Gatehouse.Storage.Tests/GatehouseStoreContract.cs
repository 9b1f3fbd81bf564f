using System.Net;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Licensing;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Policy;
using Gatehouse.Engine.Sanctions;
using Gatehouse.Engine.Storage;

namespace Gatehouse.Storage.Tests;

/// <summary>
/// What every storage backend must do. Each backend's test class derives from this and supplies
/// a fresh, empty store; the same tests then run against every real engine.
/// </summary>
public abstract partial class GatehouseStoreContract
{
    private static readonly DateTimeOffset Time = new(2026, 11, 23, 10, 30, 15, 123, TimeSpan.Zero);

    protected abstract Task<IGatehouseStore> CreateStoreAsync();

    private async Task<IGatehouseStore> MigratedStoreAsync()
    {
        var store = await CreateStoreAsync();
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task Migrate_Twice_IsHarmless()
    {
        var store = await MigratedStoreAsync();

        await store.MigrateAsync(CancellationToken.None);

        Assert.Empty((await store.LoadIdentityAsync(CancellationToken.None)).Organizations);
    }

    private static Task SaveAsync(IGatehouseStore store, IdentityChange change) => store.SaveAsync(change, CancellationToken.None);

    [Fact]
    public async Task Identity_RoundTrips_AllFields()
    {
        var store = await MigratedStoreAsync();
        var key = SecretToken.Issue(SecretToken.ApiKeyKind);
        var admin = SecretToken.Issue(SecretToken.AdminTokenKind);
        var organization = new Organization("org_1", "Acme", Time) { LegalName = "Acme Ltd", RegisteredCountry = "GB", AcceptsSubstitutes = true };
        var full = new Account("acc_1", "org_1", "Jo", "jo@example.com", Time)
        {
            Kyc = new KycProfile
            {
                LegalName = "Joanna Example",
                RegisteredCountry = "US",
                Billing = new BillingAddress("1 Main St", "Suite 2", "Springfield", "12345", "US"),
                CardCountry = "CA",
                Verification = VerificationStatus.Verified,
                VerifiedAt = Time.AddMinutes(5),
                VerificationMethod = "document",
            },
            Status = AccountStatus.Suspended,
            StatusReason = "vpn mismatch",
            StatusChangedAt = Time.AddHours(1),
        };
        var bare = new Account("acc_2", "org_1", "Sam", null, Time.AddSeconds(1));
        var record = new ApiKeyRecord(key.Id, "acc_1", "laptop", key.SecretHash, Time)
        {
            ExpiresAt = Time.AddDays(30),
            RevokedAt = Time.AddDays(1),
            ReplacedBy = "gh_successor",
            AllowedNetworks = new NetworkSet([IPNetwork.Parse("203.0.113.0/24"), IPNetwork.Parse("2001:db8::/32")]),
            RateLimit = new RateLimit(60, TimeSpan.FromMinutes(1)),
        };
        var token = new AdminTokenRecord(admin.Id, AdminRoles.Reviewer, "review", admin.SecretHash, Time) { RevokedAt = Time.AddDays(2) };

        await SaveAsync(store, new IdentityChange { Organizations = [organization], Accounts = [full, bare], ApiKeys = [record], AdminTokens = [token] });
        var data = await store.LoadIdentityAsync(CancellationToken.None);

        Assert.Equal(organization, Assert.Single(data.Organizations));
        Assert.Equal([full, bare], data.Accounts);
        var storedKey = Assert.Single(data.ApiKeys);
        Assert.Equal((record.Id, record.AccountId, record.Name, record.CreatedAt, record.ExpiresAt, record.RevokedAt, record.ReplacedBy, record.RateLimit),
            (storedKey.Id, storedKey.AccountId, storedKey.Name, storedKey.CreatedAt, storedKey.ExpiresAt, storedKey.RevokedAt, storedKey.ReplacedBy, storedKey.RateLimit));
        Assert.Equal(record.AllowedNetworks.Networks, storedKey.AllowedNetworks.Networks);
        Assert.Equal(key.SecretHash, storedKey.SecretHash);
        var storedToken = Assert.Single(data.AdminTokens);
        Assert.Equal((AdminRoles.Reviewer, token.RevokedAt), (storedToken.Role, storedToken.RevokedAt));
        Assert.Equal(admin.SecretHash, storedToken.SecretHash);
    }

    [Fact]
    public async Task Save_ExistingId_ReplacesTheRecord()
    {
        var store = await MigratedStoreAsync();
        var account = new Account("acc_1", "org_1", "Jo", null, Time);
        await SaveAsync(store, new IdentityChange { Organizations = [new Organization("org_1", "A", Time)], Accounts = [account] });

        await SaveAsync(store, new IdentityChange { Accounts = [account with { Name = "Joanna", Status = AccountStatus.Closed }] });

        var stored = Assert.Single((await store.LoadIdentityAsync(CancellationToken.None)).Accounts);
        Assert.Equal(("Joanna", AccountStatus.Closed), (stored.Name, stored.Status));
    }

    [Fact]
    public async Task Save_AccountOfUnknownOrganization_IsAConflictAndStoresNothing()
    {
        var store = await MigratedStoreAsync();

        await Assert.ThrowsAsync<StoreConflictException>(() => SaveAsync(store, new IdentityChange
        {
            Organizations = [new Organization("org_1", "A", Time)],
            Accounts = [new Account("acc_1", "org_missing", "Jo", null, Time)],
        }));

        Assert.Empty((await store.LoadIdentityAsync(CancellationToken.None)).Organizations);
    }

    [Fact]
    public async Task Save_KeyOfUnknownAccount_IsAConflict()
    {
        var store = await MigratedStoreAsync();
        var key = SecretToken.Issue(SecretToken.ApiKeyKind);

        await Assert.ThrowsAsync<StoreConflictException>(() => SaveAsync(store, new IdentityChange { ApiKeys = [new ApiKeyRecord(key.Id, "acc_missing", "k", key.SecretHash, Time)] }));
    }

    [Fact]
    public async Task Flags_RoundTripWithEvidenceAndReview_AndFilter()
    {
        var store = await MigratedStoreAsync();
        var evidence = new FlagEvidence("dec_1", Time, "3.5.140.2", "US", "hosting", 16509, "Amazon.com, Inc.", "mythos-5", "identity.vpn_mismatch", "refused");
        var open = new Flag("flag_1", "acc_1", "identity.vpn_mismatch", "VPN loophole", Time) { Evidence = [evidence, evidence with { DecisionId = "dec_2" }], Occurrences = 2 };
        var reviewed = new Flag("flag_2", "acc_1", "identity.card_country", "card", Time.AddMinutes(1))
        {
            Evidence = [evidence with { DecisionId = "dec_3", Country = null, Asn = 0, NetworkName = null }],
            Occurrences = 1,
            Review = new FlagReview(ReviewAction.Clear, "false positive", "gha_x (reviewer)", Time.AddHours(1)),
        };
        await SaveAsync(store, new IdentityChange
        {
            Organizations = [new Organization("org_1", "A", Time)],
            Accounts = [new Account("acc_1", "org_1", "Jo", null, Time)],
            Flags = [open, reviewed],
        });
        // Rewriting a flag with fewer evidence items keeps exactly those.
        await SaveAsync(store, new IdentityChange { Flags = [open with { Evidence = [evidence with { DecisionId = "dec_9" }], Occurrences = 3 }] });

        var all = await store.LoadFlagsAsync(new FlagFilter(AccountId: "acc_1"), CancellationToken.None);
        var openOnly = await store.LoadFlagsAsync(new FlagFilter(Open: true), CancellationToken.None);
        var byId = Assert.Single(await store.LoadFlagsAsync(new FlagFilter(Id: "flag_2"), CancellationToken.None));

        Assert.Equal(["flag_2", "flag_1"], all.Select(f => f.Id));
        var stillOpen = Assert.Single(openOnly);
        Assert.Equal((3, "dec_9"), (stillOpen.Occurrences, Assert.Single(stillOpen.Evidence).DecisionId));
        Assert.Equal(reviewed.Review, byId.Review);
        Assert.Equal(reviewed.Evidence, byId.Evidence);
    }

    [Fact]
    public async Task Audit_NewestFirst_FilteredByTarget_AndLimited()
    {
        var store = await MigratedStoreAsync();
        AuditEntry Entry(int i, string target) => new($"aud_{i}", Time.AddSeconds(i), "gha_x (admin)", "account.update", target, $"name: a → b{i}", i % 2 == 0 ? null : "why");

        await SaveAsync(store, new IdentityChange { Audit = [Entry(1, "acc_1"), Entry(2, "acc_2"), Entry(3, "acc_1")] });

        Assert.Equal(["aud_3", "aud_1"], (await store.LoadAuditAsync(new AuditFilter("acc_1"), CancellationToken.None)).Select(e => e.Id));
        Assert.Equal([Entry(3, "acc_1"), Entry(2, "acc_2")], await store.LoadAuditAsync(new AuditFilter(Limit: 2), CancellationToken.None));
    }

    [Fact]
    public async Task Licenses_RoundTrip_AndRevocationReplacesThem()
    {
        var store = await MigratedStoreAsync();
        var license = new ExportLicense("lic_1", "D-1234567", "org_1", ["mythos-5", "fable-*"], ["GB", "DE"], Time, Time.AddDays(365), Time) { Note = "BIS licence" };
        await SaveAsync(store, new IdentityChange { Organizations = [new Organization("org_1", "A", Time)], Licenses = [license] });
        await SaveAsync(store, new IdentityChange { Licenses = [license with { RevokedAt = Time.AddDays(1), RevocationReason = "superseded" }] });

        var stored = Assert.Single((await store.LoadIdentityAsync(CancellationToken.None)).Licenses);

        Assert.Equal((license.Number, license.OrganizationId, license.ValidFrom, license.ValidTo, license.Note, Time.AddDays(1), "superseded"),
            (stored.Number, stored.OrganizationId, stored.ValidFrom, stored.ValidTo, stored.Note, stored.RevokedAt, stored.RevocationReason));
        Assert.Equal(license.Models, stored.Models);
        Assert.Equal(license.Countries, stored.Countries);
    }

    [Fact]
    public async Task ModelSwitches_RoundTrip_AndALaterSwitchReplacesTheEarlierOne()
    {
        var store = await MigratedStoreAsync();
        var off = new ModelSwitch("mythos-5", Disabled: true, "Commerce order of 2026-11-20", Time, "gha_x (admin)");
        await SaveAsync(store, new IdentityChange { ModelSwitches = [off] });
        Assert.Equal(off, Assert.Single((await store.LoadIdentityAsync(CancellationToken.None)).ModelSwitches));

        var on = off with { Disabled = false, Reason = "order lifted", ChangedAt = Time.AddDays(3) };
        await SaveAsync(store, new IdentityChange { ModelSwitches = [on] });

        Assert.Equal(on, Assert.Single((await store.LoadIdentityAsync(CancellationToken.None)).ModelSwitches));
    }

    [Fact]
    public async Task Endpoints_RoundTrip()
    {
        var store = await MigratedStoreAsync();
        var endpoint = new StoredEndpoint("llama-eu-2", "llama", ApiDialect.OpenAI, new Uri("http://10.0.0.5:8000/"), "eu-central", "meta-llama/Llama-3.1-405B", "VLLM_KEY",
            "org_1", Time, "gha_x (admin)");
        await SaveAsync(store, new IdentityChange { Organizations = [new Organization("org_1", "A", Time)], Endpoints = [endpoint, endpoint with { Id = "bare", OrganizationId = null, UpstreamModel = null, ApiKeyVariable = null }] });

        var stored = (await store.LoadIdentityAsync(CancellationToken.None)).Endpoints;

        Assert.Equal([endpoint, endpoint with { Id = "bare", OrganizationId = null, UpstreamModel = null, ApiKeyVariable = null }], stored.OrderByDescending(e => e.Id == "llama-eu-2"));
    }

    [Fact]
    public async Task Policies_RoundTrip_TheirDocumentExactly_AndADeletionIsKept()
    {
        var store = await MigratedStoreAsync();
        const string Document = "{\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}\n}\n";
        var policy = new StoredPolicy("keep-in-eu", 1, Document, Gateway: false, ["org_1", "org_2"], Time, Time, "gha_x (admin)");
        var everywhere = new StoredPolicy("baseline", 1, "{}", Gateway: true, [], Time.AddSeconds(1), Time.AddSeconds(1), "gha_x (admin)");
        await SaveAsync(store, new IdentityChange { Policies = [policy, everywhere] });
        var deleted = policy with { Version = 2, ChangedAt = Time.AddDays(1), DeletedAt = Time.AddDays(1) };
        await SaveAsync(store, new IdentityChange { Policies = [deleted] });

        var stored = (await store.LoadIdentityAsync(CancellationToken.None)).Policies;

        // Compared field by field: a record compares its list of organisations by reference.
        static object Fields(StoredPolicy p) => (p.Id, p.Version, p.Document, p.Gateway, string.Join(' ', p.Organizations), p.CreatedAt, p.ChangedAt, p.ChangedBy, p.DeletedAt);
        Assert.Equal([Fields(deleted), Fields(everywhere)], stored.Select(Fields));
    }

    [Fact]
    public async Task PolicyVersions_KeepEveryPutAndTheDeletion_InOrder()
    {
        var store = await MigratedStoreAsync();
        var first = new StoredPolicy("keep-in-eu", 1, "{\"Statement\": []}", Gateway: false, ["org_1"], Time, Time, "gha_x (admin)");
        var second = first with { Version = 2, Document = "{\"Statement\": [ ]}", Gateway = true, ChangedAt = Time.AddHours(1) };
        var deleted = second with { Version = 3, ChangedAt = Time.AddHours(2), DeletedAt = Time.AddHours(2) };
        foreach (var version in new[] { first, second, deleted })
        {
            await SaveAsync(store, new IdentityChange { Policies = [version] });
        }
        await SaveAsync(store, new IdentityChange { Policies = [first with { Id = "other" }] });

        var versions = await store.LoadPolicyVersionsAsync("keep-in-eu", CancellationToken.None);

        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.Equal([first.Document, second.Document, second.Document], versions.Select(v => v.Document));
        Assert.Equal([false, true, true], versions.Select(v => v.Gateway));
        Assert.Equal([null, null, Time.AddHours(2)], versions.Select(v => v.DeletedAt));
        Assert.Empty(await store.LoadPolicyVersionsAsync("never-put", CancellationToken.None));
    }

    [Fact]
    public async Task PolicyVersion_PutTwice_IsAConflict_SoTwoGatewaysCannotBothWriteTheNextVersion()
    {
        var store = await MigratedStoreAsync();
        var policy = new StoredPolicy("keep-in-eu", 1, "{}", Gateway: true, [], Time, Time, "gha_x (admin)");
        await SaveAsync(store, new IdentityChange { Policies = [policy] });

        await Assert.ThrowsAsync<StoreConflictException>(() => SaveAsync(store, new IdentityChange { Policies = [policy with { Document = "{ }" }] }));

        Assert.Equal("{}", Assert.Single(await store.LoadPolicyVersionsAsync("keep-in-eu", CancellationToken.None)).Document);
    }

    [Fact]
    public async Task License_OfUnknownOrganization_IsAConflict()
    {
        var store = await MigratedStoreAsync();

        await Assert.ThrowsAsync<StoreConflictException>(() => SaveAsync(store, new IdentityChange
        {
            Licenses = [new ExportLicense("lic_1", "D-1", "org_missing", ["*"], ["GB"], Time, Time.AddDays(1), Time)],
        }));
    }

    [Fact]
    public async Task SanctionsFlags_KeepTheirMatch_AndOnlyOpenOnesHoldTheAccount()
    {
        var store = await MigratedStoreAsync();
        var match = new SanctionsMatchEvidence(SanctionsMatchEvidence.OrganizationSubject, "org_1", "Rosoboronexport OAO", "ofac-sdn:12345", "abc123",
            "ROSOBORONEXPORT", "ROSOBORONEXPORT", 0.987, CountryMatched: true, AddressMatched: true, "UKRAINE-EO13662; RUSSIA-EO14024");
        var open = new Flag("flag_1", "acc_1", "identity.sanctions_match", "resembles", Time) { Match = match, Occurrences = 1 };
        var cleared = new Flag("flag_2", "acc_1", "identity.sanctions_match", "resembles", Time) { Match = match with { EntryKey = "csl:9" }, Occurrences = 1, Review = new FlagReview(ReviewAction.Clear, "false positive", "gha_x (reviewer)", Time) };
        await SaveAsync(store, new IdentityChange
        {
            Organizations = [new Organization("org_1", "A", Time)],
            Accounts = [new Account("acc_1", "org_1", "Jo", null, Time)],
            Flags = [open, cleared],
        });

        var hold = Assert.Single((await store.LoadIdentityAsync(CancellationToken.None)).OpenSanctionsFlags);
        var bySanctions = await store.LoadFlagsAsync(new FlagFilter(Reason: "identity.sanctions_match"), CancellationToken.None);

        Assert.Equal(("flag_1", match), (hold.Id, hold.Match));
        Assert.Equal(["flag_1", "flag_2"], bySanctions.Select(f => f.Id).Order());
        Assert.Empty(await store.LoadFlagsAsync(new FlagFilter(Reason: "identity.card_country"), CancellationToken.None));
    }

    private static SanctionsEntry Entry(string id, string name, params string[] aliases) =>
        new(SanctionsSources.OfacSdn, id, SanctionsEntryType.Entity, name) { Aliases = aliases, Countries = ["RU"], Addresses = ["Moscow, Russia"], Programs = "RUSSIA-EO14024", Remarks = "r" };

    [Fact]
    public async Task SanctionsImports_KeepVersions_ReplaceChangedEntries_AndDelistVanishedOnes()
    {
        var store = await MigratedStoreAsync();
        var first = SanctionsImport.Plan(new SanctionsList(SanctionsSources.OfacSdn, Time, [Entry("1", "ALPHA LLC", "ALPHA"), Entry("2", "BRAVO"), Entry("3", "CHARLIE")], ["sdn.csv"]),
            SanctionsData.Empty, "gha_x (admin)", Time);
        await store.SaveSanctionsImportAsync(first, CancellationToken.None);
        var afterFirst = await store.LoadSanctionsAsync(CancellationToken.None);
        var second = SanctionsImport.Plan(new SanctionsList(SanctionsSources.OfacSdn, null, [Entry("1", "ALPHA LLC", "ALPHA"), Entry("2", "BRAVO", "B-RAVO"), Entry("4", "DELTA")], ["sdn.csv"]),
            afterFirst, "gha_x (admin)", Time.AddDays(1));
        await store.SaveSanctionsImportAsync(second, CancellationToken.None);

        var data = await store.LoadSanctionsAsync(CancellationToken.None);

        Assert.Equal((3, 1, 1, 1), (second.Version.EntryCount, second.Version.Added, second.Version.Changed, second.Version.Delisted));
        Assert.Equal(["1", "2", "4"], data.Entries.Select(e => e.EntryId));
        Assert.Equal(["B-RAVO"], data.Entries.Single(e => e.EntryId == "2").Aliases);
        Assert.Equal(Entry("1", "ALPHA LLC", "ALPHA").Fingerprint, data.Entries[0].Fingerprint);
        Assert.Equal([first.Version.Id, second.Version.Id], data.Versions.Select(v => v.Id));
        Assert.Equal(Time, data.Versions[0].Published);
        Assert.Equal(["sdn.csv"], data.Versions[0].Files);
        Assert.Contains(await store.LoadAuditAsync(new AuditFilter(second.Version.Id), CancellationToken.None), a => a.Action == "sanctions.import");
    }

    [Fact]
    public async Task SanctionsImport_ThatFailsHalfWay_LeavesThePreviousVersionWhole()
    {
        var store = await MigratedStoreAsync();
        var first = SanctionsImport.Plan(new SanctionsList(SanctionsSources.OfacSdn, null, [Entry("1", "ALPHA"), Entry("2", "BRAVO")], []), SanctionsData.Empty, "a", Time);
        await store.SaveSanctionsImportAsync(first, CancellationToken.None);
        var second = SanctionsImport.Plan(new SanctionsList(SanctionsSources.OfacSdn, null, [Entry("1", "ALPHA LTD"), Entry("3", "CHARLIE")], []),
            await store.LoadSanctionsAsync(CancellationToken.None), "a", Time.AddDays(1));

        // Its audit entry repeats an id, so the last statement of the transaction fails.
        await Assert.ThrowsAnyAsync<Exception>(() => store.SaveSanctionsImportAsync(second with { Audit = second.Audit with { Id = first.Audit.Id } }, CancellationToken.None));

        var data = await store.LoadSanctionsAsync(CancellationToken.None);
        Assert.Equal([("1", "ALPHA"), ("2", "BRAVO")], data.Entries.Select(e => (e.EntryId, e.Name)));
        Assert.Equal([first.Version.Id], data.Versions.Select(v => v.Id));
    }

    [Fact]
    public async Task SanctionsImport_OfADelistedEntryAgain_ListsItAgain()
    {
        var store = await MigratedStoreAsync();
        async Task ImportAsync(params SanctionsEntry[] entries) => await store.SaveSanctionsImportAsync(
            SanctionsImport.Plan(new SanctionsList(SanctionsSources.OfacSdn, null, entries, []), await store.LoadSanctionsAsync(CancellationToken.None), "a", Time), CancellationToken.None);

        await ImportAsync(Entry("1", "ALPHA"), Entry("2", "BRAVO"));
        await ImportAsync(Entry("1", "ALPHA"));
        await ImportAsync(Entry("1", "ALPHA"), Entry("2", "BRAVO"));

        Assert.Equal(["1", "2"], (await store.LoadSanctionsAsync(CancellationToken.None)).Entries.Select(e => e.EntryId));
    }

    [Fact]
    public async Task CheckWritable_OnAHealthyStore_Succeeds()
    {
        var store = await MigratedStoreAsync();

        await store.CheckWritableAsync(CancellationToken.None);
    }
}
