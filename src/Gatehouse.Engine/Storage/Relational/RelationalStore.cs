using System.Data.Common;
using System.Net;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Licensing;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Policy;
using Gatehouse.Engine.Sanctions;
using Gatehouse.Engine.Usage;

namespace Gatehouse.Engine.Storage.Relational;

/// <summary>
/// What every SQL store does the same way: the queries, the column lists and the mapping of rows
/// to records. Each engine's store derives from it and supplies what differs: connections,
/// transactions, how times and days are kept, what a conflict looks like, and its migrations.
/// Statements use ON CONFLICT upserts and $1-style placeholders, which SQLite and PostgreSQL share.
/// </summary>
public abstract partial class RelationalStore : IGatehouseStore, IAuditLogStore, IUsageStore
{
    private const int WritableProbeTimeoutSeconds = 2;

    public abstract string Description { get; }

    /// <summary>The schema's history in this engine's SQL; each entry is applied once, in order, inside a transaction.</summary>
    protected abstract IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; }

    /// <summary>Creates <c>schema_migrations</c> when it is missing.</summary>
    protected abstract string CreateMigrationsTableSql { get; }

    /// <summary>Records a migration: $1 its version, $2 its name, applied now by the server's clock.</summary>
    protected abstract string RecordMigrationSql { get; }

    /// <summary>The column that orders admin audit entries written in the same instant by when they were written.</summary>
    protected abstract string AdminAuditInsertionOrder { get; }

    /// <summary>A statement that takes the write lock (or proves the server would let us write) and changes nothing.</summary>
    protected abstract string WritableProbeSql { get; }

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A read-only transaction that sees one moment however long it lasts.</summary>
    protected abstract Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// The audit writer's own session, set to wait at most <paramref name="lockTimeout"/> for another
    /// writer and to flush each commit to disk or not.
    /// </summary>
    protected abstract Task<DbConnection> OpenAuditSessionAsync(bool flushToDisk, TimeSpan lockTimeout, CancellationToken cancellationToken);

    /// <summary>
    /// Taken first in an audit append's transaction and held to its commit, so that no other
    /// gateway reads the chain's end in between; null where the write transaction is that lock already.
    /// </summary>
    protected virtual string? AuditChainLockSql => null;

    /// <summary>
    /// A statement (with <c>$1</c> standing for its payload) run in the transaction of every change
    /// to what gateways keep in memory, just before its commit: where gateways share the store, it
    /// tells the others (on commit, not before). Null where nobody else is listening.
    /// </summary>
    protected virtual (string Sql, string Payload)? Announcement(StoreChange change) => null;

    /// <summary>Runs before the migrations, on their connection: engine settings, and a lock so that two starting gateways do not migrate at once.</summary>
    protected abstract Task BeforeMigrationsAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Runs after the migrations, successful or not, on their connection: lets go of what <see cref="BeforeMigrationsAsync"/> took.</summary>
    protected virtual Task AfterMigrationsAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Whether <paramref name="exception"/> is a violated key or reference.</summary>
    protected abstract bool IsConflict(DbException exception);

    /// <summary>The name of the parameter that stands for placeholder <c>$position</c>.</summary>
    protected abstract string ParameterName(int position);

    protected abstract object? WriteTime(DateTimeOffset? time);

    protected abstract DateTimeOffset? ReadTime(DbDataReader reader, int ordinal);

    protected abstract object WriteDay(DateOnly day);

    protected abstract DateOnly ReadDay(DbDataReader reader, int ordinal);

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, WritableProbeSql, []);
        // A readiness probe cannot wait as long as a write may: a lock held this long is an outage.
        command.CommandTimeout = WritableProbeTimeoutSeconds;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public virtual async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await BeforeMigrationsAsync(connection, cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, CreateMigrationsTableSql, cancellationToken);
            var applied = (await QueryAsync(connection, null, "SELECT version FROM schema_migrations", [], r => r.GetInt64(0), cancellationToken)).ToHashSet();
            var newest = Migrations[^1].Version;
            if (applied.Count > 0 && applied.Max() > newest)
            {
                throw new InvalidOperationException(
                    $"The database ({Description}) has schema version {applied.Max()}, newer than this build knows ({newest}). Use a newer Gatehouse.");
            }
            foreach (var (version, name, sql) in Migrations)
            {
                if (applied.Contains(version))
                {
                    continue;
                }
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await ExecuteAsync(connection, transaction, RecordMigrationSql, [version, name], cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await AfterMigrationsAsync(connection);
        }
    }

    private const string OrganizationColumns = "id, name, created_at, legal_name, registered_country, accepts_substitutes";
    private const string AccountColumns = "id, organization_id, name, email, created_at, legal_name, registered_country, billing_line1, billing_line2, billing_city, " +
        "billing_postal_code, billing_country, card_country, verification, verified_at, verification_method, status, status_reason, status_changed_at";
    private const string ApiKeyColumns = "id, account_id, name, secret_hash, created_at, expires_at, revoked_at, replaced_by, allowed_networks, rate_limit_requests, rate_limit_window_ms";
    private const string AdminTokenColumns = "id, role, name, secret_hash, created_at, revoked_at";
    private const string FlagColumns = "id, account_id, reason, summary, raised_at, occurrences, review_action, review_comment, reviewer, reviewed_at, " +
        "match_subject, match_subject_id, match_screened_name, match_entry, match_fingerprint, match_entry_name, match_name, match_score, match_country, match_address, match_programs";
    private const string EndpointColumns = "id, model_id, provider, base_url, region, upstream_model, api_key_env, organization_id, created_at, created_by";
    private const string PolicyColumns = "id, version, document, gateway, organizations, created_at, changed_at, changed_by, deleted_at";
    private const string ModelSwitchColumns = "id, disabled, reason, changed_at, changed_by";
    private const string LicenseColumns = "id, number, organization_id, models, countries, valid_from, valid_to, created_at, note, revoked_at, revocation_reason";
    private const string SanctionsVersionColumns = "id, source, imported_at, imported_by, entry_count, added, changed, delisted, published, files";
    private const string SanctionsEntryColumns = "source, entry_id, type, name, aliases, countries, addresses, programs, remarks, fingerprint, listed_in";
    private const string EvidenceColumns = "flag_id, position, decision_id, time, client, country, network_type, asn, network_name, model, reason_code, message";
    private const string AuditColumns = "id, time, actor, action, target_id, changes, comment";

    public async Task<IdentityData> LoadIdentityAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // One read transaction, so the four lists describe the same moment.
        await using var transaction = await BeginReadAsync(connection, cancellationToken);
        var organizations = await QueryAsync(connection, transaction, $"SELECT {OrganizationColumns} FROM organizations ORDER BY created_at, id", [], ReadOrganization, cancellationToken);
        var accounts = await QueryAsync(connection, transaction, $"SELECT {AccountColumns} FROM accounts ORDER BY created_at, id", [], ReadAccount, cancellationToken);
        var keys = await QueryAsync(connection, transaction, $"SELECT {ApiKeyColumns} FROM api_keys ORDER BY created_at, id", [], ReadApiKey, cancellationToken);
        var tokens = await QueryAsync(connection, transaction, $"SELECT {AdminTokenColumns} FROM admin_tokens ORDER BY created_at, id", [], ReadAdminToken, cancellationToken);
        var licenses = await QueryAsync(connection, transaction, $"SELECT {LicenseColumns} FROM export_licenses ORDER BY created_at, id", [], ReadLicense, cancellationToken);
        var switches = await QueryAsync(connection, transaction, $"SELECT {ModelSwitchColumns} FROM model_switches ORDER BY id", [],
            r => new ModelSwitch(r.GetString(0), r.GetBoolean(1), r.GetString(2), ReadTime(r, 3)!.Value, r.GetString(4)), cancellationToken);
        var endpoints = await QueryAsync(connection, transaction, $"SELECT {EndpointColumns} FROM endpoints ORDER BY created_at, id", [], ReadEndpoint, cancellationToken);
        var policies = await QueryAsync(connection, transaction,
            $"SELECT {PolicyColumns} FROM policy_versions p WHERE version = (SELECT MAX(version) FROM policy_versions WHERE id = p.id) ORDER BY created_at, id", [],
            ReadPolicy, cancellationToken);
        var holds = await QueryAsync(connection, transaction, $"SELECT {FlagColumns} FROM flags WHERE match_entry IS NOT NULL AND reviewed_at IS NULL ORDER BY raised_at, id", [], ReadFlag, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IdentityData(organizations, accounts, keys, tokens) { Licenses = licenses, ModelSwitches = switches, Endpoints = endpoints, Policies = policies, OpenSanctionsFlags = holds };
    }

    public async Task SaveAsync(IdentityChange change, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // Parents before children, so the foreign keys hold at every statement.
            foreach (var o in change.Organizations)
            {
                await UpsertAsync(connection, transaction, "organizations", OrganizationColumns,
                    [o.Id, o.Name, WriteTime(o.CreatedAt), o.LegalName, o.RegisteredCountry, o.AcceptsSubstitutes], cancellationToken);
            }
            foreach (var a in change.Accounts)
            {
                var kyc = a.Kyc;
                await UpsertAsync(connection, transaction, "accounts", AccountColumns,
                [
                    a.Id, a.OrganizationId, a.Name, a.Email, WriteTime(a.CreatedAt), kyc.LegalName, kyc.RegisteredCountry,
                    kyc.Billing?.Line1, kyc.Billing?.Line2, kyc.Billing?.City, kyc.Billing?.PostalCode, kyc.Billing?.Country, kyc.CardCountry,
                    EnumNames<VerificationStatus>.Of(kyc.Verification), WriteTime(kyc.VerifiedAt), kyc.VerificationMethod,
                    EnumNames<AccountStatus>.Of(a.Status), a.StatusReason, WriteTime(a.StatusChangedAt),
                ], cancellationToken);
            }
            foreach (var k in change.ApiKeys)
            {
                await UpsertAsync(connection, transaction, "api_keys", ApiKeyColumns,
                [
                    k.Id, k.AccountId, k.Name, k.SecretHash, WriteTime(k.CreatedAt), WriteTime(k.ExpiresAt), WriteTime(k.RevokedAt), k.ReplacedBy,
                    k.AllowedNetworks.ToString(), k.RateLimit?.Requests, (long?)k.RateLimit?.Window.TotalMilliseconds,
                ], cancellationToken);
            }
            foreach (var t in change.AdminTokens)
            {
                await UpsertAsync(connection, transaction, "admin_tokens", AdminTokenColumns,
                    [t.Id, t.Role, t.Name, t.SecretHash, WriteTime(t.CreatedAt), WriteTime(t.RevokedAt)], cancellationToken);
            }
            foreach (var l in change.Licenses)
            {
                await UpsertAsync(connection, transaction, "export_licenses", LicenseColumns,
                [
                    l.Id, l.Number, l.OrganizationId, string.Join(' ', l.Models), string.Join(' ', l.Countries), WriteTime(l.ValidFrom), WriteTime(l.ValidTo),
                    WriteTime(l.CreatedAt), l.Note, WriteTime(l.RevokedAt), l.RevocationReason,
                ], cancellationToken);
            }
            foreach (var e in change.Endpoints)
            {
                await UpsertAsync(connection, transaction, "endpoints", EndpointColumns,
                [
                    e.Id, e.ModelId, ApiDialects.NameOf(e.Provider), e.BaseUrl.ToString(), e.Region, e.UpstreamModel, e.ApiKeyVariable,
                    e.OrganizationId, WriteTime(e.CreatedAt), e.CreatedBy,
                ], cancellationToken);
            }
            // A version is only ever added: two gateways putting the same version at once conflict, and one of them is refused.
            foreach (var p in change.Policies)
            {
                await InsertAsync(connection, transaction, "policy_versions", PolicyColumns,
                [
                    p.Id, p.Version, p.Document, p.Gateway, string.Join(' ', p.Organizations), WriteTime(p.CreatedAt), WriteTime(p.ChangedAt), p.ChangedBy, WriteTime(p.DeletedAt),
                ], cancellationToken);
            }
            foreach (var m in change.ModelSwitches)
            {
                await UpsertAsync(connection, transaction, "model_switches", ModelSwitchColumns, [m.ModelId, m.Disabled, m.Reason, WriteTime(m.ChangedAt), m.ChangedBy], cancellationToken);
            }
            foreach (var f in change.Flags)
            {
                var m = f.Match;
                await UpsertAsync(connection, transaction, "flags", FlagColumns,
                [
                    f.Id, f.AccountId, f.Reason, f.Summary, WriteTime(f.RaisedAt), f.Occurrences,
                    f.Review is { } review ? EnumNames<ReviewAction>.Of(review.Action) : null, f.Review?.Comment, f.Review?.Reviewer, WriteTime(f.Review?.At),
                    m?.Subject, m?.SubjectId, m?.ScreenedName, m?.EntryKey, m?.EntryFingerprint, m?.EntryName, m?.MatchedName, m?.Score, m?.CountryMatched, m?.AddressMatched, m?.Programs,
                ], cancellationToken);
                // The flag keeps only its newest evidence, so its rows are rewritten whole.
                await ExecuteAsync(connection, transaction, "DELETE FROM flag_evidence WHERE flag_id = $1", [f.Id], cancellationToken);
                for (var i = 0; i < f.Evidence.Count; i++)
                {
                    var e = f.Evidence[i];
                    await InsertAsync(connection, transaction, "flag_evidence", EvidenceColumns,
                        [f.Id, i, e.DecisionId, WriteTime(e.Time), e.Client, e.Country, e.NetworkType, (long)e.Asn, e.NetworkName, e.Model, e.ReasonCode, e.Message], cancellationToken);
                }
            }
            foreach (var entry in change.Audit)
            {
                await InsertAuditAsync(connection, transaction, entry, cancellationToken);
            }
            await AnnounceAsync(connection, transaction, StoreChange.Identity, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException e) when (IsConflict(e))
        {
            throw new StoreConflictException($"The change refers to a record that does not exist, or repeats an id: {e.Message}", e);
        }
    }

    public async Task<IReadOnlyList<Flag>> LoadFlagsAsync(FlagFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginReadAsync(connection, cancellationToken);
        var where = new List<string>();
        var values = new List<object?>();
        if (filter.Id is not null)
        {
            values.Add(filter.Id);
            where.Add($"id = ${values.Count}");
        }
        if (filter.AccountId is not null)
        {
            values.Add(filter.AccountId);
            where.Add($"account_id = ${values.Count}");
        }
        if (filter.Reason is not null)
        {
            values.Add(filter.Reason);
            where.Add($"reason = ${values.Count}");
        }
        if (filter.Open is { } open)
        {
            where.Add(open ? "reviewed_at IS NULL" : "reviewed_at IS NOT NULL");
        }
        var condition = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        var flags = await QueryAsync(connection, transaction, $"SELECT {FlagColumns} FROM flags {condition} ORDER BY raised_at DESC, id", values, ReadFlag, cancellationToken);
        // All the evidence of those flags in one query, rather than one query per flag.
        var evidence = (await QueryAsync(connection, transaction,
                $"SELECT {EvidenceColumns} FROM flag_evidence WHERE flag_id IN (SELECT id FROM flags {condition}) ORDER BY flag_id, position",
                values, r => (FlagId: r.GetString(0), Evidence: ReadEvidence(r)), cancellationToken))
            .ToLookup(e => e.FlagId, e => e.Evidence, StringComparer.Ordinal);
        await transaction.CommitAsync(cancellationToken);
        return [.. flags.Select(flag => flag with { Evidence = [.. evidence[flag.Id]] })];
    }

    public async Task<SanctionsData> LoadSanctionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginReadAsync(connection, cancellationToken);
        var versions = await QueryAsync(connection, transaction, $"SELECT {SanctionsVersionColumns} FROM sanctions_versions ORDER BY imported_at, id", [], ReadSanctionsVersion, cancellationToken);
        var entries = await QueryAsync(connection, transaction, $"SELECT {SanctionsEntryColumns} FROM sanctions_entries WHERE delisted_in IS NULL ORDER BY source, entry_id", [],
            ReadSanctionsEntry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SanctionsData(entries, versions);
    }

    public async Task SaveSanctionsImportAsync(SanctionsImport import, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = import.Version;
        await InsertAsync(connection, transaction, "sanctions_versions", SanctionsVersionColumns,
        [
            version.Id, version.Source, WriteTime(version.ImportedAt), version.ImportedBy, version.EntryCount, version.Added, version.Changed, version.Delisted,
            WriteTime(version.Published), string.Join('\n', version.Files),
        ], cancellationToken);
        // One prepared statement for every entry: a full list is tens of thousands of rows.
        var columns = SanctionsEntryColumns.Split(", ");
        await using (var upsert = Command(connection, transaction,
            $"INSERT INTO sanctions_entries ({SanctionsEntryColumns}) VALUES ({Placeholders(columns.Length)}) ON CONFLICT(source, entry_id) DO UPDATE SET " +
            string.Join(", ", columns.Skip(2).Select(c => $"{c} = excluded.{c}")) + ", delisted_in = NULL", new object?[columns.Length]))
        {
            foreach (var e in import.Upserts)
            {
                object?[] values = [e.Source, e.EntryId, EnumNames<SanctionsEntryType>.Of(e.Type), e.Name, string.Join('\n', e.Aliases), string.Join('\n', e.Countries),
                    string.Join('\n', e.Addresses), e.Programs, e.Remarks, e.Fingerprint, version.Id];
                for (var i = 0; i < values.Length; i++)
                {
                    upsert.Parameters[i].Value = values[i] ?? DBNull.Value;
                }
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await using (var delist = Command(connection, transaction, "UPDATE sanctions_entries SET delisted_in = $1 WHERE source = $2 AND entry_id = $3", [version.Id, version.Source, null]))
        {
            foreach (var id in import.DelistedEntryIds)
            {
                delist.Parameters[2].Value = id;
                await delist.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await InsertAuditAsync(connection, transaction, import.Audit, cancellationToken);
        await AnnounceAsync(connection, transaction, StoreChange.Sanctions, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private Task AnnounceAsync(DbConnection connection, DbTransaction transaction, StoreChange change, CancellationToken cancellationToken) =>
        Announcement(change) is var (sql, payload) ? ExecuteAsync(connection, transaction, sql, [payload], cancellationToken) : Task.CompletedTask;

    private Task InsertAuditAsync(DbConnection connection, DbTransaction transaction, AuditEntry entry, CancellationToken cancellationToken) =>
        InsertAsync(connection, transaction, "admin_audit", AuditColumns,
            [entry.Id, WriteTime(entry.Time), entry.Actor, entry.Action, entry.TargetId, entry.Changes, entry.Comment], cancellationToken);

    public async Task<IReadOnlyList<StoredPolicy>> LoadPolicyVersionsAsync(string policyId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, $"SELECT {PolicyColumns} FROM policy_versions WHERE id = $1 ORDER BY version", [policyId], ReadPolicy, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> LoadAuditAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Every placeholder must appear in the statement: PostgreSQL cannot type one that does not.
        var (condition, values) = filter.TargetId is null ? ("", new object?[] { filter.Limit }) : ("WHERE target_id = $2", [filter.Limit, filter.TargetId]);
        return await QueryAsync(connection, null, $"SELECT {AuditColumns} FROM admin_audit {condition} ORDER BY time DESC, {AdminAuditInsertionOrder} DESC LIMIT $1",
            values, ReadAudit, cancellationToken);
    }

    private Organization ReadOrganization(DbDataReader r) => new(r.GetString(0), r.GetString(1), ReadTime(r, 2)!.Value)
    {
        LegalName = Text(r, 3),
        RegisteredCountry = Text(r, 4),
        AcceptsSubstitutes = r.GetBoolean(5),
    };

    private Account ReadAccount(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), ReadTime(r, 4)!.Value)
    {
        Kyc = new KycProfile
        {
            LegalName = Text(r, 5),
            RegisteredCountry = Text(r, 6),
            Billing = Text(r, 11) is { } country ? new BillingAddress(Text(r, 7), Text(r, 8), Text(r, 9), Text(r, 10), country) : null,
            CardCountry = Text(r, 12),
            Verification = Parse<VerificationStatus>(r, 13),
            VerifiedAt = ReadTime(r, 14),
            VerificationMethod = Text(r, 15),
        },
        Status = Parse<AccountStatus>(r, 16),
        StatusReason = Text(r, 17),
        StatusChangedAt = ReadTime(r, 18),
    };

    private ApiKeyRecord ReadApiKey(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3), ReadTime(r, 4)!.Value)
    {
        ExpiresAt = ReadTime(r, 5),
        RevokedAt = ReadTime(r, 6),
        ReplacedBy = Text(r, 7),
        AllowedNetworks = new NetworkSet(r.GetString(8).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => IPNetwork.Parse(n))),
        RateLimit = r.IsDBNull(9) ? null : new RateLimit(r.GetInt32(9), TimeSpan.FromMilliseconds(r.GetInt64(10))),
    };

    private AdminTokenRecord ReadAdminToken(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3), ReadTime(r, 4)!.Value)
    {
        RevokedAt = ReadTime(r, 5),
    };

    private Flag ReadFlag(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), ReadTime(r, 4)!.Value)
    {
        Occurrences = r.GetInt32(5),
        Review = r.IsDBNull(9) ? null : new FlagReview(Parse<ReviewAction>(r, 6), r.GetString(7), r.GetString(8), ReadTime(r, 9)!.Value),
        Match = r.IsDBNull(13) ? null : new SanctionsMatchEvidence(r.GetString(10), r.GetString(11), r.GetString(12), r.GetString(13), r.GetString(14),
            r.GetString(15), r.GetString(16), r.GetDouble(17), r.GetBoolean(18), r.GetBoolean(19), Text(r, 20)),
    };

    private StoredEndpoint ReadEndpoint(DbDataReader r) => new(r.GetString(0), r.GetString(1),
        ApiDialects.TryParse(r.GetString(2), out var provider) ? provider : throw new InvalidDataException($"Unknown provider '{r.GetString(2)}' in the database."),
        new Uri(r.GetString(3)), r.GetString(4), Text(r, 5), Text(r, 6), Text(r, 7), ReadTime(r, 8)!.Value, r.GetString(9));

    private StoredPolicy ReadPolicy(DbDataReader r) => new(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetBoolean(3), Words(r.GetString(4)),
        ReadTime(r, 5)!.Value, ReadTime(r, 6)!.Value, r.GetString(7), ReadTime(r, 8));

    private ExportLicense ReadLicense(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), Words(r.GetString(3)), Words(r.GetString(4)),
        ReadTime(r, 5)!.Value, ReadTime(r, 6)!.Value, ReadTime(r, 7)!.Value)
    {
        Note = Text(r, 8),
        RevokedAt = ReadTime(r, 9),
        RevocationReason = Text(r, 10),
    };

    private SanctionsListVersion ReadSanctionsVersion(DbDataReader r) => new(r.GetString(0), r.GetString(1), ReadTime(r, 2)!.Value, r.GetString(3),
        r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7))
    {
        Published = ReadTime(r, 8),
        Files = Lines(r.GetString(9)),
    };

    private SanctionsEntry ReadSanctionsEntry(DbDataReader r) => new(r.GetString(0), r.GetString(1), Parse<SanctionsEntryType>(r, 2), r.GetString(3))
    {
        Aliases = Lines(r.GetString(4)),
        Countries = Lines(r.GetString(5)),
        Addresses = Lines(r.GetString(6)),
        Programs = Text(r, 7),
        Remarks = Text(r, 8),
    };

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // List names and addresses never span lines, so one per line is a lossless encoding.
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private FlagEvidence ReadEvidence(DbDataReader r) => new(
        r.GetString(2), ReadTime(r, 3)!.Value, r.GetString(4), Text(r, 5), r.GetString(6), (uint)r.GetInt64(7), Text(r, 8), r.GetString(9), r.GetString(10), r.GetString(11));

    private AuditEntry ReadAudit(DbDataReader r) => new(r.GetString(0), ReadTime(r, 1)!.Value, r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Text(r, 6));

    private Task UpsertAsync(DbConnection connection, DbTransaction transaction, string table, string columns, object?[] values, CancellationToken cancellationToken)
    {
        var names = columns.Split(", ");
        var updates = string.Join(", ", names.Skip(1).Select(c => $"{c} = excluded.{c}"));
        return ExecuteAsync(connection, transaction,
            $"INSERT INTO {table} ({columns}) VALUES ({Placeholders(names.Length)}) ON CONFLICT(id) DO UPDATE SET {updates}", values, cancellationToken);
    }

    private Task InsertAsync(DbConnection connection, DbTransaction transaction, string table, string columns, object?[] values, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"INSERT INTO {table} ({columns}) VALUES ({Placeholders(values.Length)})", values, cancellationToken);

    private static string Placeholders(int count) => string.Join(", ", Enumerable.Range(1, count).Select(i => $"${i}"));

    private async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction, sql, [], cancellationToken);

    private async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<object?> values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = ParameterName(i + 1);
            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<object?> values, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static T Parse<T>(DbDataReader reader, int ordinal) where T : struct, Enum =>
        EnumNames<T>.TryParse(reader.GetString(ordinal), out var value)
            ? value
            : throw new InvalidDataException($"Unknown {typeof(T).Name} '{reader.GetString(ordinal)}' in the database.");
}
