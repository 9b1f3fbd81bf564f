using System.Globalization;
using System.Net;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Licensing;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Sanctions;
using Gatehouse.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file in WAL mode, nothing to install.</summary>
public sealed partial class SqliteStore : IGatehouseStore, IAuditLogStore
{
    private const int SqliteConstraint = 19;
    private const int WritableProbeTimeoutSeconds = 2;
    private readonly string _connectionString;

    public SqliteStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            // Also the busy timeout: a writer waits for another instead of failing at once.
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string Description => $"SQLite database {Path}";

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Taking the write lock and letting it go proves writability without changing anything.
        await using var command = Command(connection, null, "BEGIN IMMEDIATE; ROLLBACK;", []);
        // A readiness probe cannot wait as long as a write may: a lock held this long is an outage.
        command.CommandTimeout = WritableProbeTimeoutSeconds;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     INTEGER PRIMARY KEY,
                name        TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            );
            """, cancellationToken);

        var applied = new HashSet<long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt64(0));
            }
        }
        var newest = SqliteMigrations.All[^1].Version;
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new InvalidOperationException(
                $"The database {Path} has schema version {applied.Max()}, newer than this build knows ({newest}). Use a newer Gatehouse.");
        }
        foreach (var (version, name, sql) in SqliteMigrations.All)
        {
            if (applied.Contains(version))
            {
                continue;
            }
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, strftime('%Y-%m-%dT%H:%M:%fZ','now'))";
                record.Parameters.AddWithValue("$version", version);
                record.Parameters.AddWithValue("$name", name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
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
        await using var transaction = connection.BeginTransaction(deferred: true);
        var organizations = await QueryAsync(connection, transaction, $"SELECT {OrganizationColumns} FROM organizations ORDER BY created_at, id", [], ReadOrganization, cancellationToken);
        var accounts = await QueryAsync(connection, transaction, $"SELECT {AccountColumns} FROM accounts ORDER BY created_at, id", [], ReadAccount, cancellationToken);
        var keys = await QueryAsync(connection, transaction, $"SELECT {ApiKeyColumns} FROM api_keys ORDER BY created_at, id", [], ReadApiKey, cancellationToken);
        var tokens = await QueryAsync(connection, transaction, $"SELECT {AdminTokenColumns} FROM admin_tokens ORDER BY created_at, id", [], ReadAdminToken, cancellationToken);
        var licenses = await QueryAsync(connection, transaction, $"SELECT {LicenseColumns} FROM export_licenses ORDER BY created_at, id", [], ReadLicense, cancellationToken);
        var switches = await QueryAsync(connection, transaction, $"SELECT {ModelSwitchColumns} FROM model_switches ORDER BY id", [],
            r => new ModelSwitch(r.GetString(0), r.GetBoolean(1), r.GetString(2), ReadTime(r, 3)!.Value, r.GetString(4)), cancellationToken);
        var endpoints = await QueryAsync(connection, transaction, $"SELECT {EndpointColumns} FROM endpoints ORDER BY created_at, id", [], ReadEndpoint, cancellationToken);
        var holds = await QueryAsync(connection, transaction, $"SELECT {FlagColumns} FROM flags WHERE match_entry IS NOT NULL AND reviewed_at IS NULL ORDER BY raised_at, id", [], ReadFlag, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IdentityData(organizations, accounts, keys, tokens) { Licenses = licenses, ModelSwitches = switches, Endpoints = endpoints, OpenSanctionsFlags = holds };
    }

    public async Task SaveAsync(IdentityChange change, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
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
            await transaction.CommitAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            throw new StoreConflictException($"The change refers to a record that does not exist, or repeats an id: {e.Message}", e);
        }
    }

    public async Task<IReadOnlyList<Flag>> LoadFlagsAsync(FlagFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
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
        await using var transaction = connection.BeginTransaction(deferred: true);
        var versions = await QueryAsync(connection, transaction, $"SELECT {SanctionsVersionColumns} FROM sanctions_versions ORDER BY imported_at, id", [], ReadSanctionsVersion, cancellationToken);
        var entries = await QueryAsync(connection, transaction, $"SELECT {SanctionsEntryColumns} FROM sanctions_entries WHERE delisted_in IS NULL ORDER BY source, entry_id", [],
            ReadSanctionsEntry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SanctionsData(entries, versions);
    }

    public async Task SaveSanctionsImportAsync(SanctionsImport import, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
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
        await transaction.CommitAsync(cancellationToken);
    }

    private static Task InsertAuditAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry, CancellationToken cancellationToken) =>
        InsertAsync(connection, transaction, "admin_audit", AuditColumns,
            [entry.Id, WriteTime(entry.Time), entry.Actor, entry.Action, entry.TargetId, entry.Changes, entry.Comment], cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> LoadAuditAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var condition = filter.TargetId is null ? "" : "WHERE target_id = $2";
        return await QueryAsync(connection, null, $"SELECT {AuditColumns} FROM admin_audit {condition} ORDER BY time DESC, rowid DESC LIMIT $1",
            [filter.Limit, filter.TargetId], ReadAudit, cancellationToken);
    }

    private static Organization ReadOrganization(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), ReadTime(r, 2)!.Value)
    {
        LegalName = Text(r, 3),
        RegisteredCountry = Text(r, 4),
        AcceptsSubstitutes = r.GetBoolean(5),
    };

    private static Account ReadAccount(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), ReadTime(r, 4)!.Value)
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

    private static ApiKeyRecord ReadApiKey(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3), ReadTime(r, 4)!.Value)
    {
        ExpiresAt = ReadTime(r, 5),
        RevokedAt = ReadTime(r, 6),
        ReplacedBy = Text(r, 7),
        AllowedNetworks = new NetworkSet(r.GetString(8).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => IPNetwork.Parse(n))),
        RateLimit = r.IsDBNull(9) ? null : new RateLimit(r.GetInt32(9), TimeSpan.FromMilliseconds(r.GetInt64(10))),
    };

    private static AdminTokenRecord ReadAdminToken(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3), ReadTime(r, 4)!.Value)
    {
        RevokedAt = ReadTime(r, 5),
    };

    private static Flag ReadFlag(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), ReadTime(r, 4)!.Value)
    {
        Occurrences = r.GetInt32(5),
        Review = r.IsDBNull(9) ? null : new FlagReview(Parse<ReviewAction>(r, 6), r.GetString(7), r.GetString(8), ReadTime(r, 9)!.Value),
        Match = r.IsDBNull(13) ? null : new SanctionsMatchEvidence(r.GetString(10), r.GetString(11), r.GetString(12), r.GetString(13), r.GetString(14),
            r.GetString(15), r.GetString(16), r.GetDouble(17), r.GetBoolean(18), r.GetBoolean(19), Text(r, 20)),
    };

    private static StoredEndpoint ReadEndpoint(SqliteDataReader r) => new(r.GetString(0), r.GetString(1),
        ApiDialects.TryParse(r.GetString(2), out var provider) ? provider : throw new InvalidDataException($"Unknown provider '{r.GetString(2)}' in the database."),
        new Uri(r.GetString(3)), r.GetString(4), Text(r, 5), Text(r, 6), Text(r, 7), ReadTime(r, 8)!.Value, r.GetString(9));

    private static ExportLicense ReadLicense(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), Words(r.GetString(3)), Words(r.GetString(4)),
        ReadTime(r, 5)!.Value, ReadTime(r, 6)!.Value, ReadTime(r, 7)!.Value)
    {
        Note = Text(r, 8),
        RevokedAt = ReadTime(r, 9),
        RevocationReason = Text(r, 10),
    };

    private static SanctionsListVersion ReadSanctionsVersion(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), ReadTime(r, 2)!.Value, r.GetString(3),
        r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7))
    {
        Published = ReadTime(r, 8),
        Files = Lines(r.GetString(9)),
    };

    private static SanctionsEntry ReadSanctionsEntry(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), Parse<SanctionsEntryType>(r, 2), r.GetString(3))
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

    private static FlagEvidence ReadEvidence(SqliteDataReader r) => new(
        r.GetString(2), ReadTime(r, 3)!.Value, r.GetString(4), Text(r, 5), r.GetString(6), (uint)r.GetInt64(7), Text(r, 8), r.GetString(9), r.GetString(10), r.GetString(11));

    private static AuditEntry ReadAudit(SqliteDataReader r) => new(r.GetString(0), ReadTime(r, 1)!.Value, r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Text(r, 6));

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await WaitForLocksInSqliteAsync(connection, cancellationToken);
        return connection;
    }

    /// <summary>
    /// Lets SQLite itself wait for another writer's lock, in steps of milliseconds. Without it
    /// Microsoft.Data.Sqlite retries a busy statement after sleeping 150 ms, and every request
    /// waiting on the audit log's next commit waits with it (the p99 of the load test went from
    /// about 130 ms to 5 ms). A second at most, so that the command timeouts still bound the wait.
    /// </summary>
    private static Task WaitForLocksInSqliteAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, null, "PRAGMA busy_timeout = 1000", cancellationToken);

    private static Task UpsertAsync(SqliteConnection connection, SqliteTransaction transaction, string table, string columns, object?[] values, CancellationToken cancellationToken)
    {
        var names = columns.Split(", ");
        var updates = string.Join(", ", names.Skip(1).Select(c => $"{c} = excluded.{c}"));
        return ExecuteAsync(connection, transaction,
            $"INSERT INTO {table} ({columns}) VALUES ({Placeholders(names.Length)}) ON CONFLICT(id) DO UPDATE SET {updates}", values, cancellationToken);
    }

    private static Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, string table, string columns, object?[] values, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"INSERT INTO {table} ({columns}) VALUES ({Placeholders(values.Length)})", values, cancellationToken);

    private static string Placeholders(int count) => string.Join(", ", Enumerable.Range(1, count).Select(i => $"${i}"));

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction, sql, [], cancellationToken);

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, IReadOnlyList<object?> values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Count; i++)
        {
            command.Parameters.AddWithValue($"${i + 1}", values[i] ?? DBNull.Value);
        }
        return command;
    }

    private static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql, IReadOnlyList<object?> values, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
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

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static T Parse<T>(SqliteDataReader reader, int ordinal) where T : struct, Enum =>
        EnumNames<T>.TryParse(reader.GetString(ordinal), out var value)
            ? value
            : throw new InvalidDataException($"Unknown {typeof(T).Name} '{reader.GetString(ordinal)}' in the database.");

    private static string? WriteTime(DateTimeOffset? time) => time?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ReadTime(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal)
        ? null
        : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
