using System.CommandLine;
using Gatehouse.Engine.Identity;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse accounts create|list|show|update|suspend|reinstate|close</c>.</summary>
internal static class AccountsCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var organization = new Option<string>("--org") { Description = "The organisation the account belongs to (org_…).", Required = true };
        var fields = new Fields(creating: true);
        var create = admin.Calls(AdminArguments.With(new Command("create", "Create an account in an organisation.") { organization }, fields.All), json.AccountView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("accounts"),
                new CreateAccountRequest(parse.GetValue(organization), parse.GetValue(fields.Name), parse.GetValue(fields.Email), fields.Billing(parse, current: null),
                    parse.GetValue(fields.LegalName), parse.GetValue(fields.RegisteredCountry), parse.GetValue(fields.CardCountry), fields.Verification(parse, current: null)),
                json.CreateAccountRequest, json.AccountView, cancellationToken),
            created => admin.Context.Console.MarkupLineInterpolated($"Created account [bold]{created.Id}[/] ({created.Name}) in {created.OrganizationId}."));

        var organizationFilter = new Option<string?>("--org") { Description = "Only accounts of this organisation." };
        var statusFilter = new Option<string?>("--status") { Description = "Only accounts with this status." };
        statusFilter.AcceptOnlyFromAmong([.. EnumNames<AccountStatus>.All]);
        var list = admin.Lists(new Command("list", "List accounts with their status and the countries the identity rules read.") { organizationFilter, statusFilter }, json.ListAccountView,
            parse => AdminPaths.Query("accounts", ("organizationId", parse.GetValue(organizationFilter)), ("status", parse.GetValue(statusFilter))),
            ["Id", "Organisation", "Name", "Status", "Billing", "Card", "Registered", "Verification"],
            a => [a.Id, a.OrganizationId, a.Name, a.Status, a.Kyc.BillingAddress?.Country, a.Kyc.CardCountry, a.Kyc.RegisteredCountry, a.Kyc.Verification]);

        var show = admin.Shows("accounts", "account (acc_…)", "Show an account: its status and why, and what is known about the holder.", json.AccountView, account => Write(admin, account));

        var updateId = AdminArguments.Id("account (acc_…)");
        var changes = new Fields(creating: false);
        var update = admin.Calls(AdminArguments.WithChanges(new Command("update", "Change an account's details or KYC facts; an empty value clears an optional one.") { updateId }, changes.All), json.AccountView,
            async (parse, client, cancellationToken) =>
            {
                var path = AdminPaths.Of("accounts", parse.GetValue(updateId));
                var current = changes.NeedsCurrent(parse) ? await client.GetAsync(path, json.AccountView, cancellationToken) : null;
                var request = new UpdateAccountRequest(parse.GetValue(changes.Name), parse.GetValue(changes.Email), changes.Billing(parse, current),
                    parse.GetValue(changes.LegalName), parse.GetValue(changes.RegisteredCountry), parse.GetValue(changes.CardCountry), changes.Verification(parse, current));
                return await client.PatchAsync(path, request, json.UpdateAccountRequest, json.AccountView, cancellationToken);
            },
            account => Write(admin, account));

        var command = new Command("accounts", "Manage accounts.") { create, list, show, update };
        foreach (var (verb, description) in StatusChanges)
        {
            var target = AdminArguments.Id("account (acc_…)");
            var comment = AdminArguments.Comment(required: true);
            command.Add(admin.Calls(new Command(verb, description) { target, comment }, json.AccountView,
                (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("accounts", parse.GetValue(target), verb), new CommentRequest(parse.GetValue(comment)),
                    json.CommentRequest, json.AccountView, cancellationToken),
                account => admin.Context.Console.MarkupLineInterpolated($"Account [bold]{account.Id}[/] ({account.Name}) is now [bold]{account.Status}[/].")));
        }
        return admin.AddTo(command);
    }

    private static readonly (string Verb, string Description)[] StatusChanges =
    [
        ("suspend", "Suspend an account: all its keys are refused until it is reinstated."),
        ("reinstate", "Make a suspended or flagged account active again."),
        ("close", "Close an account for good: a closed account is never reinstated."),
    ];

    private static void Write(AdminOptions admin, AccountView account) => AdminOutput.WriteDetails(admin.Context.Console,
        ("Id", account.Id),
        ("Organisation", account.OrganizationId),
        ("Name", account.Name),
        ("Email", account.Email),
        ("Status", account.Status),
        ("Status reason", account.StatusReason),
        ("Status changed", AdminOutput.Time(account.StatusChangedAt)),
        ("Legal name", account.Kyc.LegalName),
        ("Registered country", account.Kyc.RegisteredCountry),
        ("Billing address", account.Kyc.BillingAddress is { } b ? string.Join(", ", new[] { b.Line1, b.Line2, b.City, b.PostalCode, b.Country }.Where(p => !string.IsNullOrEmpty(p))) : null),
        ("Card country", account.Kyc.CardCountry),
        ("Verification", account.Kyc.Verification),
        ("Verification method", account.Kyc.VerificationMethod),
        ("Verified", AdminOutput.Time(account.Kyc.VerifiedAt)),
        ("Created", AdminOutput.Time(account.CreatedAt)));

    /// <summary>
    /// The options create and update share. Create requires the name and billing country; for
    /// update every option is a change, and the API replaces a billing address whole, so a partial
    /// one is completed from the current account.
    /// </summary>
    private sealed class Fields(bool creating)
    {
        public Option<string?> Name { get; } = new("--name") { Description = "The account holder's name.", Required = creating };
        public Option<string?> Email { get; } = new("--email") { Description = "A contact address." };
        public Option<string?> LegalName { get; } = new("--legal-name") { Description = "The holder's legal name." };
        public Option<string?> RegisteredCountry { get; } = new("--registered-country") { Description = "Where the holder is registered (ISO 3166-1 alpha-2, e.g. DE)." };
        public Option<string?> CardCountry { get; } = new("--card-country") { Description = "The country of the payment card's issuer, as the payment processor reports it." };

        public Option<string?> BillingCountry { get; } = new("--billing-country")
        {
            Description = creating
                ? "The billing address's country (ISO 3166-1 alpha-2): the first thing the identity rules read."
                : "The billing address's country. With it, the billing options given are the whole new address; without it, they change the current one.",
            Required = creating,
        };

        public Option<string?> BillingLine1 { get; } = new("--billing-line1") { Description = "The billing address's first line." };
        public Option<string?> BillingLine2 { get; } = new("--billing-line2") { Description = "The billing address's second line." };
        public Option<string?> BillingCity { get; } = new("--billing-city") { Description = "The billing address's city." };
        public Option<string?> BillingPostalCode { get; } = new("--billing-postal-code") { Description = "The billing address's postal code." };

        public Option<string?> VerificationStatus { get; } = CreateVerificationStatus();
        public Option<string?> VerificationMethod { get; } = new("--verification-method") { Description = "How the holder was verified, e.g. document or video call." };

        private Option<string?>[] BillingParts => [BillingLine1, BillingLine2, BillingCity, BillingPostalCode];

        public Option[] All => [Name, Email, LegalName, RegisteredCountry, CardCountry, BillingCountry, .. BillingParts, VerificationStatus, VerificationMethod];

        /// <summary>Whether the change leaves out something the API needs whole: the billing country, or the status a method belongs to.</summary>
        public bool NeedsCurrent(ParseResult parse) =>
            (parse.GetValue(BillingCountry) is null && BillingParts.Any(o => parse.GetValue(o) is not null)) ||
            (parse.GetValue(VerificationStatus) is null && parse.GetValue(VerificationMethod) is not null);

        /// <summary>The billing address to send, null when none of its options was given.</summary>
        public BillingAddressView? Billing(ParseResult parse, AccountView? current)
        {
            if (parse.GetValue(BillingCountry) is null && BillingParts.All(o => parse.GetValue(o) is null))
            {
                return null;
            }
            var old = parse.GetValue(BillingCountry) is null ? current?.Kyc.BillingAddress : null;
            return new BillingAddressView(
                parse.GetValue(BillingLine1) ?? old?.Line1,
                parse.GetValue(BillingLine2) ?? old?.Line2,
                parse.GetValue(BillingCity) ?? old?.City,
                parse.GetValue(BillingPostalCode) ?? old?.PostalCode,
                parse.GetValue(BillingCountry) ?? old?.Country);
        }

        public VerificationRequest? Verification(ParseResult parse, AccountView? current)
        {
            var status = parse.GetValue(VerificationStatus);
            var method = parse.GetValue(VerificationMethod);
            return status is null && method is null ? null : new VerificationRequest(status ?? current?.Kyc.Verification, method);
        }

        private static Option<string?> CreateVerificationStatus()
        {
            var option = new Option<string?>("--verification") { Description = "The outcome of the KYC check." };
            option.AcceptOnlyFromAmong([.. EnumNames<Engine.Identity.VerificationStatus>.All]);
            return option;
        }
    }
}
