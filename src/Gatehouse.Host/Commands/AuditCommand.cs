using System.CommandLine;
using Gatehouse.Host.Admin;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse audit list</c>: who changed which identity record, what changed and why.</summary>
internal static class AuditCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var target = new Option<string?>("--target") { Description = "Only changes to this record (an org_, acc_, gh_, gha_ or flag_ id)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries, the most recent." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
            {
                result.AddError("--limit must be a positive number.");
            }
        });
        var list = admin.Lists(new Command("list", "List audit entries.") { target, limit }, json.ListAuditEntry,
            parse => AdminPaths.Query("audit", ("targetId", parse.GetValue(target)), ("limit", parse.GetValue(limit)?.ToString())),
            ["Time", "Actor", "Action", "Target", "Changes", "Comment"],
            e => [AdminOutput.Time(e.Time), e.Actor, e.Action, e.TargetId, e.Changes, e.Comment]);

        return admin.AddTo(new Command("audit", "Read the audit log of identity changes.") { list });
    }
}
