using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gatehouse.Host.Admin;

namespace Gatehouse.Host.Commands;

/// <summary>A failed admin call, worded for the person at the terminal.</summary>
internal sealed class AdminCallException(string message) : Exception(message);

/// <summary>The CLI's client for the admin API.</summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _baseUrl;

    public AdminClient(string baseUrl, string? token, HttpMessageHandler? handler)
    {
        _baseUrl = baseUrl.TrimEnd('/');
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(30);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new AdminCallException($"No admin token: set {AdminOptions.TokenVariable} (the first one is in the admin-token file beside the database) or pass --token.");
        }
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
    }

    public Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, _baseUrl + path), type, cancellationToken);

    public Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, requestType, responseType, cancellationToken);

    public Task<TResponse> PatchAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, path, body, requestType, responseType, cancellationToken);

    public Task<TResponse> PutAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, requestType, responseType, cancellationToken);

    public Task<T> DeleteAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, _baseUrl + path), type, cancellationToken);

    private Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(method, _baseUrl + path) { Content = JsonContent.Create(body, requestType) }, responseType, cancellationToken);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new AdminCallException($"Cannot reach the admin API at {_baseUrl} ({e.Message}). Is 'gatehouse serve' running, and is --admin-url right?");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                    ?? throw new AdminCallException($"The admin API at {_baseUrl} returned an empty answer.");
            }
            throw new AdminCallException(await DescribeFailureAsync(response, cancellationToken));
        }
    }

    private static async Task<string> DescribeFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            var problem = await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.ProblemView, cancellationToken);
            var text = problem?.Detail ?? problem?.Title;
            // Each mistake on its own line, unless the detail already says it (a single invalid field).
            var mistakes = (problem?.Errors ?? []).SelectMany(e => e.Value).Where(m => m != text).Select(m => $"{Environment.NewLine}  {m}");
            return text is null ? status : $"{status}: {text}{string.Concat(mistakes)}";
        }
        catch (JsonException)
        {
            return status;
        }
    }

    public void Dispose() => _http.Dispose();
}
