using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.Host.Tests.Admin;

/// <summary>
/// Every admin route, called with every kind of credential: the route table is read from the
/// running server, so a route added without a line here fails the test rather than going unchecked.
/// </summary>
public sealed class AdminRolesTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Everyone = "read";
    private const string Reviewers = "review";
    private const string AdminsOnly = "manage";

    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["GET /admin/v1/organizations"] = Everyone,
        ["GET /admin/v1/organizations/{id}"] = Everyone,
        ["POST /admin/v1/organizations"] = AdminsOnly,
        ["PATCH /admin/v1/organizations/{id}"] = AdminsOnly,
        ["GET /admin/v1/accounts"] = Everyone,
        ["GET /admin/v1/accounts/{id}"] = Everyone,
        ["POST /admin/v1/accounts"] = AdminsOnly,
        ["PATCH /admin/v1/accounts/{id}"] = AdminsOnly,
        ["POST /admin/v1/accounts/{id}/suspend"] = Reviewers,
        ["POST /admin/v1/accounts/{id}/reinstate"] = Reviewers,
        ["POST /admin/v1/accounts/{id}/close"] = AdminsOnly,
        ["GET /admin/v1/keys"] = Everyone,
        ["GET /admin/v1/keys/{id}"] = Everyone,
        ["POST /admin/v1/keys"] = AdminsOnly,
        ["POST /admin/v1/keys/{id}/rotate"] = AdminsOnly,
        ["POST /admin/v1/keys/{id}/revoke"] = AdminsOnly,
        ["GET /admin/v1/tokens"] = Everyone,
        ["POST /admin/v1/tokens"] = AdminsOnly,
        ["POST /admin/v1/tokens/{id}/revoke"] = AdminsOnly,
        ["GET /admin/v1/flags"] = Everyone,
        ["GET /admin/v1/flags/{id}"] = Everyone,
        ["POST /admin/v1/flags/{id}/review"] = Reviewers,
        ["GET /admin/v1/endpoints"] = Everyone,
        ["POST /admin/v1/endpoints"] = AdminsOnly,
        ["GET /admin/v1/policies"] = Everyone,
        ["GET /admin/v1/policies/{id}"] = Everyone,
        ["GET /admin/v1/policies/{id}/versions"] = Everyone,
        ["PUT /admin/v1/policies/{id}"] = AdminsOnly,
        ["DELETE /admin/v1/policies/{id}"] = AdminsOnly,
        ["GET /admin/v1/models"] = Everyone,
        ["POST /admin/v1/models/{id}/disable"] = AdminsOnly,
        ["POST /admin/v1/models/{id}/enable"] = AdminsOnly,
        ["GET /admin/v1/licenses"] = Everyone,
        ["GET /admin/v1/licenses/{id}"] = Everyone,
        ["POST /admin/v1/licenses"] = AdminsOnly,
        ["POST /admin/v1/licenses/{id}/revoke"] = AdminsOnly,
        ["GET /admin/v1/sanctions/lists"] = Everyone,
        ["POST /admin/v1/sanctions/lists"] = AdminsOnly,
        ["POST /admin/v1/sanctions/screen"] = Everyone,
        ["GET /admin/v1/audit"] = Everyone,
        ["GET /admin/v1/audit/records"] = Everyone,
        ["GET /admin/v1/audit/verify"] = Everyone,
        ["GET /admin/v1/usage"] = Everyone,
        ["GET /admin/v1/budgets"] = Everyone,
        ["PUT /admin/v1/budgets/{scope}/{id}"] = AdminsOnly,
        ["DELETE /admin/v1/budgets/{scope}/{id}"] = AdminsOnly,
        ["POST /admin/v1/decisions/explain"] = Everyone,
    };

    private GatewayInstance Gateway => fixture.Gateway;

    private List<string> AdminRoutes() =>
    [
        .. Gateway.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/admin/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}")),
    ];

    private async Task<HttpStatusCode> CallAsync(string route, string? bearer)
    {
        var (method, path) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..].Replace("{id}", "x_missing"));
        using var client = new HttpClient { BaseAddress = Gateway.AdminUrl };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string> TokenAsync(string role) =>
        (await Gateway.PostAsync("/admin/v1/tokens", new CreateAdminTokenRequest($"{role} for role tests", role), AdminJsonContext.Default.CreatedAdminToken)).Token;

    [Fact]
    public void EveryAdminRoute_HasAnExpectedAccess()
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), AdminRoutes().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryAdminRoute_AdmitsExactlyItsRoles()
    {
        var auditor = await TokenAsync("auditor");
        var reviewer = await TokenAsync("reviewer");
        var failures = new List<string>();
        foreach (var route in AdminRoutes())
        {
            var access = Expected[route];
            var asAuditor = await CallAsync(route, auditor);
            var asReviewer = await CallAsync(route, reviewer);
            var asAdmin = await CallAsync(route, Gateway.AdminToken);
            if ((asAuditor == HttpStatusCode.Forbidden) != (access != Everyone))
            {
                failures.Add($"{route}: auditor got {(int)asAuditor}");
            }
            if ((asReviewer == HttpStatusCode.Forbidden) != (access == AdminsOnly))
            {
                failures.Add($"{route}: reviewer got {(int)asReviewer}");
            }
            if (asAdmin is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                failures.Add($"{route}: admin got {(int)asAdmin}");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task EveryAdminRoute_RefusesDataPlaneKeysAndRevokedTokens_With401()
    {
        var revoked = await TokenAsync("admin");
        using var revoke = await Gateway.Admin.PostAsync($"/admin/v1/tokens/{revoked[..20]}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var failures = new List<string>();
        foreach (var route in AdminRoutes())
        {
            foreach (var (who, bearer) in new[] { ("data-plane key", Gateway.ApiKey), ("revoked admin token", revoked), ("nothing", (string?)null) })
            {
                if (await CallAsync(route, bearer) is var status && status != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{route} with {who}: {(int)status}");
                }
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task AdminRoute_WithoutToken_IsRefusedBeforeItsBodyIsRead()
    {
        using var client = new HttpClient { BaseAddress = Gateway.AdminUrl };
        using var response = await client.PostAsync("/admin/v1/keys", new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Tokens_TheLastAdminToken_CannotBeRevoked()
    {
        var tokens = (await Gateway.Admin.GetFromJsonAsync("/admin/v1/tokens", AdminJsonContext.Default.ListAdminTokenView))!;
        var bootstrap = tokens.Single(t => t.Name == "bootstrap");
        foreach (var other in tokens.Where(t => t.Role == "admin" && t.RevokedAt is null && t.Id != bootstrap.Id))
        {
            using var _ = await Gateway.Admin.PostAsync($"/admin/v1/tokens/{other.Id}/revoke", null);
        }

        using var response = await Gateway.Admin.PostAsync($"/admin/v1/tokens/{bootstrap.Id}/revoke", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("last one with the admin role", await response.Content.ReadAsStringAsync());
    }
}
