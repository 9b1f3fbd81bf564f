namespace Gatehouse.Host.Commands;

/// <summary>Admin API addresses. Ids and query values come from the command line, so they are escaped.</summary>
internal static class AdminPaths
{
    private const string Root = "/admin/v1/";

    /// <summary>For example <c>/admin/v1/accounts/acc_1/suspend</c> from <c>("accounts", "acc_1", "suspend")</c>.</summary>
    public static string Of(string collection, string? id = null, string? action = null) =>
        Root + collection + (id is null ? "" : "/" + Uri.EscapeDataString(id)) + (action is null ? "" : "/" + action);

    /// <summary>The collection with the query parameters that were given; the others are left out so the server applies its defaults.</summary>
    public static string Query(string collection, params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return Of(collection) + (given.Count == 0 ? "" : "?" + string.Join('&', given));
    }
}
