using System.CommandLine;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Policy;
using Gatehouse.Host.Admin;
using Spectre.Console;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Gatehouse.Host.Commands;

/// <summary>
/// <c>gatehouse policy test</c>: runs a file of cases (request attributes → expected effect and
/// deciding statement) against the policies a configuration attaches, offline (with
/// <c>--stored</c>, the running gateway's stored policies too), and exits 1 on any mismatch, so
/// operators can keep policy tests in their own CI.
/// </summary>
internal static class PolicyCommand
{
    private static readonly IDeserializer Cases = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();

    internal sealed class CaseFile
    {
        public List<Case>? Cases { get; init; }
    }

    internal sealed class Case
    {
        public string? Name { get; init; }
        public string? Action { get; init; }
        public string? Resource { get; init; }
        public string? Organization { get; init; }
        public Dictionary<string, object>? Context { get; init; }

        /// <summary>allow, deny, explicit_deny or implicit_deny.</summary>
        public string? Expect { get; init; }

        /// <summary>The Sid of the statement that must decide, if the case says.</summary>
        public string? Statement { get; init; }
    }

    public static Command Create(CliContext context, AdminOptions admin)
    {
        var config = new Option<string>("--config", "-c") { Description = "The configuration file whose policies to test.", Required = true };
        var file = new Argument<string>("cases") { Description = "A YAML file of cases: name, action, resource, organization, context (gate: keys), expect, statement." };
        var stored = new Option<bool>("--stored")
        {
            Description = "Add the policies stored in the running gateway, read through its admin API (--admin-url, --token), as its requests are judged.",
        };
        var test = new Command("test", "Run policy test cases against the configured policies; exit 1 on any mismatch.") { config, file, stored, admin.Url, admin.Token };
        test.SetAction(async (parse, cancellationToken) =>
        {
            if (await context.LoadConfigurationAsync(parse.GetValue(config)!) is not { } configuration)
            {
                return 1;
            }
            var policies = configuration.Policies;
            if (parse.GetValue(stored))
            {
                List<PolicyView> views = [];
                if (await admin.RunAsync(parse, async client => views = await client.GetAsync(AdminPaths.Of("policies"), AdminJsonContext.Default.ListPolicyView, cancellationToken)) != 0)
                {
                    return 1;
                }
                var parsed = StoredPolicies.Of([.. views.Select(v => new StoredPolicy(v.Id, v.Version, v.Document, v.Gateway, v.Organizations, v.CreatedAt, v.ChangedAt, v.ChangedBy))]);
                foreach (var problem in parsed.Unreadable)
                {
                    await context.Error.WriteLineAsync(problem);
                }
                policies = policies.With(parsed);
            }
            var path = parse.GetValue(file)!;
            List<Case> cases;
            try
            {
                cases = Cases.Deserialize<CaseFile>(await File.ReadAllTextAsync(path))?.Cases ?? [];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlException)
            {
                await context.Error.WriteLineAsync($"{path}: {e.Message}");
                return 1;
            }
            var table = new Table().AddColumns("Case", "Expected", "Decided", "Result");
            var failed = 0;
            for (var i = 0; i < cases.Count; i++)
            {
                var (passed, decided) = Run(cases[i], policies, out var problem);
                if (problem is not null)
                {
                    await context.Error.WriteLineAsync($"{path}: cases[{i}] ({cases[i].Name}): {problem}");
                    return 1;
                }
                failed += passed ? 0 : 1;
                table.AddRow(Markup.Escape(cases[i].Name ?? $"cases[{i}]"), Markup.Escape(Expected(cases[i])), Markup.Escape(decided), passed ? "[green]pass[/]" : "[red]FAIL[/]");
            }
            context.Console.Write(table);
            context.WriteLine($"{cases.Count - failed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        });
        return new Command("policy", "Work with Layer 3 policies.") { test };
    }

    private static string Expected(Case @case) => @case.Statement is null ? @case.Expect ?? "" : $"{@case.Expect} by {@case.Statement}";

    private static (bool Passed, string Decided) Run(Case @case, PolicySettings policies, out string? problem)
    {
        problem = null;
        var request = new PolicyRequest();
        if (string.IsNullOrWhiteSpace(@case.Action) || string.IsNullOrWhiteSpace(@case.Resource))
        {
            problem = "action and resource are required, e.g. model:Invoke and model/mythos-5";
            return default;
        }
        request.Action = @case.Action;
        request.Resource = @case.Resource;
        request.Organization = @case.Organization;
        foreach (var (key, value) in @case.Context ?? [])
        {
            IReadOnlyList<string> values = value is List<object> list ? [.. list.Select(v => v.ToString() ?? "")] : [value.ToString() ?? ""];
            if (request.Set(key, values) is { } error)
            {
                problem = $"context.{key}: {error}";
                return default;
            }
        }
        var verdict = policies.Evaluate(request, @case.Organization);
        var outcome = verdict.Evaluation.Outcome;
        var passed = @case.Expect switch
        {
            "allow" => outcome == PolicyOutcome.Allow,
            "deny" => outcome != PolicyOutcome.Allow,
            "explicit_deny" => outcome == PolicyOutcome.ExplicitDeny,
            "implicit_deny" => outcome == PolicyOutcome.ImplicitDeny,
            _ => (bool?)null,
        };
        if (passed is null)
        {
            problem = $"expect must be allow, deny, explicit_deny or implicit_deny, not '{@case.Expect}'";
            return default;
        }
        var statement = verdict.Evaluation.Statement;
        passed &= @case.Statement is null || statement?.Sid == @case.Statement;
        var decided = statement is null ? $"{Name(outcome)} ({verdict.Level})" : $"{Name(outcome)} by {statement.Sid ?? $"Statement[{statement.Index}]"} in {Path.GetFileName(statement.Document)}";
        return (passed.Value, decided);
    }

    private static string Name(PolicyOutcome outcome) => outcome switch
    {
        PolicyOutcome.Allow => "allow",
        PolicyOutcome.ExplicitDeny => "explicit_deny",
        _ => "implicit_deny",
    };
}
