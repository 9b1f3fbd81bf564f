using System.CommandLine;
using System.Globalization;
using CsvHelper;
using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Audit;
using Gatehouse.Storage.Sqlite;

namespace Gatehouse.Host.Commands;

/// <summary>
/// <c>gatehouse audit</c>: the identity change history (<c>list</c>) and the hash-chained audit
/// log of every decision and admin change (<c>records</c>, <c>export</c>, <c>verify</c>). Export and
/// verify work through the admin API, or with <c>--database</c> on the database file itself.
/// </summary>
internal static class AuditCommand
{
    private const int ExportPage = 1000;

    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var target = new Option<string?>("--target") { Description = "Only changes to this record (an org_, acc_, gh_, gha_ or flag_ id)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
            {
                result.AddError("--limit must be a positive number.");
            }
        });
        var list = admin.Lists(new Command("list", "List identity changes: who changed which record, what changed and why, newest first.") { target, limit }, json.ListAuditEntry,
            parse => AdminPaths.Query("audit", ("targetId", parse.GetValue(target)), ("limit", parse.GetValue(limit)?.ToString())),
            ["Time", "Actor", "Action", "Target", "Changes", "Comment"],
            e => [AdminOutput.Time(e.Time), e.Actor, e.Action, e.TargetId, e.Changes, e.Comment]);

        var filters = new Filters();
        var after = new Option<long?>("--after") { Description = "Only records after this sequence number (the Next value of the previous page)." };
        var records = admin.Calls(filters.AddTo(new Command("records", "List audit log records, oldest first, a page at a time.") { limit, after }), json.AuditRecordPage,
            (parse, client, cancellationToken) => client.GetAsync(filters.Path(parse, parse.GetValue(after) ?? 0, parse.GetValue(limit)), json.AuditRecordPage, cancellationToken),
            page =>
            {
                var table = AdminOutput.Table("Seq", "Time", "Kind", "Effect", "Reason or action", "Account", "Model", "Client", "Country");
                foreach (var r in page.Records)
                {
                    table.AddCells(r.Sequence.ToString(CultureInfo.InvariantCulture), AdminOutput.Time(r.Time), KindName(r.Kind), r.Effect, r.ReasonCode ?? r.Action,
                        r.AccountId ?? r.Actor, r.Model, r.Client, r.Country);
                }
                admin.Context.Console.Write(table);
                if (page.Next is { } next)
                {
                    admin.Context.WriteLine($"More: --after {next}");
                }
            });

        var database = new Option<string?>("--database")
        {
            Description = "Read this SQLite database file directly instead of asking the gateway (works while it runs, or stopped; the audit-head file beside it is checked too).",
        };
        var format = new Option<string>("--format") { Description = "jsonl (one JSON object per line) or csv.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var export = filters.AddTo(new Command("export", "Write every audit log record that passes the filters to standard output, oldest first.") { format, database });
        export.SetAction((parse, cancellationToken) => RunAsync(admin, parse, database, async source =>
        {
            var output = admin.Context.Console.Profile.Out.Writer;
            await using var csv = parse.GetValue(format) == "csv" ? CsvWriter.Create(output, null, leaveOpen: true) : null;
            if (csv is not null)
            {
                WriteCsvHeader(csv);
            }
            long cursor = 0;
            while (true)
            {
                var page = await source.PageAsync(filters.Query(parse, cursor, ExportPage), cancellationToken);
                foreach (var record in page)
                {
                    if (csv is null)
                    {
                        await output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(record, json.AuditRecord));
                    }
                    else
                    {
                        WriteCsvRow(csv, record);
                    }
                }
                if (page.Count < ExportPage)
                {
                    break;
                }
                cursor = page[^1].Sequence;
            }
            return 0;
        }));

        var verify = new Command("verify", "Walk the audit log's hash chain and name the first record that was changed, removed or reordered; exit 1 if there is one.") { database };
        verify.SetAction((parse, cancellationToken) => RunAsync(admin, parse, database, async source =>
        {
            var result = await source.VerifyAsync(cancellationToken);
            if (!admin.WriteJsonIfAsked(parse, result, json.AuditVerification))
            {
                admin.Context.WriteLine(result.Summary);
            }
            return result.Intact ? 0 : 1;
        }));

        return admin.AddTo(new Command("audit", "Read the identity change history and the hash-chained audit log; export and verify the log.") { list, records, export, verify });
    }

    private static string KindName(AuditRecordKind kind) => Engine.Identity.EnumNames<AuditRecordKind>.Of(kind);

    /// <summary>Runs <paramref name="work"/> against the database file when <c>--database</c> names one, else against the admin API.</summary>
    private static async Task<int> RunAsync(AdminOptions admin, ParseResult parse, Option<string?> database, Func<IAuditSource, Task<int>> work)
    {
        if (parse.GetValue(database) is { } path)
        {
            if (!File.Exists(path))
            {
                await admin.Context.Error.WriteLineAsync($"gatehouse: there is no database at {path}.");
                return 1;
            }
            var store = new SqliteStore(path);
            try
            {
                var head = AuditHeadFile.Read(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, AuditWriter.HeadFileName));
                return await work(new StoreSource(store, head));
            }
            catch (Exception e) when (e is InvalidDataException or Microsoft.Data.Sqlite.SqliteException)
            {
                await admin.Context.Error.WriteLineAsync($"gatehouse: {path}: {e.Message}");
                return 1;
            }
        }
        var exitCode = 0;
        var called = await admin.RunAsync(parse, async client => exitCode = await work(new ApiSource(client)));
        return called == 0 ? exitCode : called;
    }

    private interface IAuditSource
    {
        Task<IReadOnlyList<AuditRecord>> PageAsync(AuditQuery query, CancellationToken cancellationToken);

        Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);
    }

    private sealed class StoreSource(IAuditLogStore store, AuditHead? head) : IAuditSource
    {
        public Task<IReadOnlyList<AuditRecord>> PageAsync(AuditQuery query, CancellationToken cancellationToken) => store.QueryAuditAsync(query, cancellationToken);

        public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => AuditVerifier.VerifyAsync(store.ReadAuditAsync(cancellationToken), head, cancellationToken);
    }

    private sealed class ApiSource(AdminClient client) : IAuditSource
    {
        public async Task<IReadOnlyList<AuditRecord>> PageAsync(AuditQuery query, CancellationToken cancellationToken) =>
            (await client.GetAsync(Filters.PathOf(query), AdminJsonContext.Default.AuditRecordPage, cancellationToken)).Records;

        public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
            client.GetAsync(AdminPaths.Of("audit", "verify"), AdminJsonContext.Default.AuditVerification, cancellationToken);
    }

    /// <summary>The filters <c>records</c> and <c>export</c> share, as options and as the query they make.</summary>
    private sealed class Filters
    {
        private readonly Option<string?> _kind = new("--kind") { Description = "decision, admin or checkpoint." };

        public Filters() => _kind.AcceptOnlyFromAmong([.. Engine.Identity.EnumNames<AuditRecordKind>.All]);
        private readonly Option<string?> _account = new("--account") { Description = "Only this account's decisions (acc_…)." };
        private readonly Option<string?> _organization = new("--org") { Description = "Only this organisation's decisions (org_…)." };
        private readonly Option<string?> _country = new("--country") { Description = "Only decisions for callers in this country (ISO 3166-1 alpha-2)." };
        private readonly Option<string?> _reason = new("--reason") { Description = "Only decisions with this reason code, e.g. geo.country_restricted." };
        private readonly Option<string?> _effect = new("--effect") { Description = "allow, deny or substitute." };
        private readonly Option<DateTimeOffset?> _from = new("--from") { Description = "Only records at or after this time (UTC unless it says otherwise), e.g. 2026-11-01.", CustomParser = UtcTime };
        private readonly Option<DateTimeOffset?> _to = new("--to") { Description = "Only records before this time, e.g. 2026-12-01.", CustomParser = UtcTime };

        /// <summary>A time without an offset means UTC, as everywhere in the gateway's output, not the zone of whoever runs the command.</summary>
        private static DateTimeOffset? UtcTime(System.CommandLine.Parsing.ArgumentResult result)
        {
            var text = result.Tokens[0].Value;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }
            result.AddError($"'{text}' is not a time; write e.g. 2026-11-24 or 2026-11-24T12:00:00Z.");
            return null;
        }

        public Command AddTo(Command command)
        {
            foreach (var option in new Option[] { _kind, _account, _organization, _country, _reason, _effect, _from, _to })
            {
                command.Add(option);
            }
            return command;
        }

        public AuditQuery Query(ParseResult parse, long after, int limit) => new(after, limit, parse.GetValue(_from), parse.GetValue(_to),
            Engine.Identity.EnumNames<AuditRecordKind>.TryParse(parse.GetValue(_kind), out var kind) ? kind : null,
            parse.GetValue(_account), parse.GetValue(_organization), parse.GetValue(_country), parse.GetValue(_reason), parse.GetValue(_effect));

        public string Path(ParseResult parse, long after, int? limit) => PathOf(Query(parse, after, limit ?? 100));

        public static string PathOf(AuditQuery q) => AdminPaths.Query("audit/records",
            ("after", q.After == 0 ? null : q.After.ToString(CultureInfo.InvariantCulture)), ("limit", q.Limit.ToString(CultureInfo.InvariantCulture)),
            ("from", q.From?.ToString("O", CultureInfo.InvariantCulture)), ("to", q.To?.ToString("O", CultureInfo.InvariantCulture)),
            ("kind", q.Kind is { } kind ? KindName(kind) : null), ("accountId", q.AccountId), ("organizationId", q.OrganizationId), ("country", q.Country),
            ("reason", q.ReasonCode), ("effect", q.Effect));
    }

    private static void WriteCsvHeader(CsvWriter csv)
    {
        foreach (var name in new[] { "sequence", "time", "kind", "dropped_through" }.Concat(AuditRecord.TextFields.Select(f => f.Name)).Append("previous_hash").Append("hash"))
        {
            csv.WriteField(name);
        }
        csv.EndRecord();
    }

    private static void WriteCsvRow(CsvWriter csv, AuditRecord record)
    {
        csv.WriteField(record.Sequence.ToString(CultureInfo.InvariantCulture));
        csv.WriteField(record.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        csv.WriteField(KindName(record.Kind));
        csv.WriteField(record.DroppedThrough?.ToString(CultureInfo.InvariantCulture));
        foreach (var (_, value) in AuditRecord.TextFields)
        {
            csv.WriteField(value(record));
        }
        csv.WriteField(Convert.ToHexStringLower(record.PreviousHash));
        csv.WriteField(Convert.ToHexStringLower(record.Hash));
        csv.EndRecord();
    }
}
