using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CloudsFor.Client.Models;

namespace CloudsFor.Client.Pipeline;

/// <summary>An answer the server gave: status, body and the validator of a single object.</summary>
internal sealed record Answer(int Status, byte[] Body, string? ETag)
{
    public bool NotModified => Status == 304;
}

/// <summary>
/// Every request of every sub-client goes through here: credentials, the Idempotency-Key of a POST, the
/// retry loop, the error body turned into an ApiException, and the envelopes read into models.
/// </summary>
internal sealed class Connection(CloudsForClientOptions options, HttpClient http)
{
    readonly Uri root = ApiRoot(options.BaseUrl);

    public CloudsForClientOptions Options => options;

    /// <summary>Sends one logical request, retrying it by the rules of <see cref="RetryRules"/>; a POST keeps one Idempotency-Key across attempts.</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string pathOrUrl, byte[]? json, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var uri = Resolve(pathOrUrl);
        var idempotencyKey = method == HttpMethod.Post ? Guid.NewGuid().ToString("N") : null;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (options.Credential is { } credential)
                request.Headers.Authorization = new AuthenticationHeaderValue(credential.Scheme, credential.Parameter);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (idempotencyKey is not null)
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (ifNoneMatch is not null)
                request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            if (json is not null)
                request.Content = new ByteArrayContent(json) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

            using var perAttempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            perAttempt.CancelAfter(options.Timeout);
            HttpResponseMessage response;
            byte[] body;
            try
            {
                response = await http.SendAsync(request, perAttempt.Token).ConfigureAwait(false);
                body = await response.Content.ReadAsByteArrayAsync(perAttempt.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < options.Retry.MaxRetries && RetryRules.IsTransient(e))
            {
                await Task.Delay(RetryRules.Backoff(attempt, options.Retry), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt >= options.Retry.MaxRetries)
                    throw new TimeoutException($"{method} {uri} got no answer within {options.Timeout.TotalSeconds} s, {attempt + 1} times.");
                await Task.Delay(RetryRules.Backoff(attempt, options.Retry), cancellationToken).ConfigureAwait(false);
                continue;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                if (status < 400)
                    return new Answer(status, body, response.Headers.ETag?.ToString());
                var error = ToException(response, body);
                if (attempt >= options.Retry.MaxRetries || RetryRules.After(error, attempt, options.Retry) is not { } wait)
                    throw error;
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sends a body read from a stream as it goes, never held whole. Sent once: a stream cannot be read again, so there is no retry,
    /// and no per-attempt timeout (a large file takes as long as it takes; bound it with the CancellationToken). Expect: 100-continue
    /// lets the server refuse (a 413 over its cap, a 409) before the bytes go, so the refusal is read rather than a broken pipe.
    /// </summary>
    public async Task<Answer> SendStreamAsync(HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, Resolve(path)) { Content = content };
        if (options.Credential is { } credential)
            request.Headers.Authorization = new AuthenticationHeaderValue(credential.Scheme, credential.Parameter);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status >= 400)
            throw ToException(response, body);
        return new Answer(status, body, response.Headers.ETag?.ToString());
    }

    /// <summary>Opens a text/event-stream, once (the caller reconnects): the answer as soon as its headers are in, or the ApiException of an error.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, long? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Resolve(path));
        if (options.Credential is { } credential)
            request.Headers.Authorization = new AuthenticationHeaderValue(credential.Scheme, credential.Parameter);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } id)
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(options.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"GET {request.RequestUri} got no answer within {options.Timeout.TotalSeconds} s.");
        }
        if ((int)response.StatusCode < 400)
            return response;
        using (response)
            throw ToException(response, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task<T> GetAsync<T>(string path, string rootKey, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        One((await SendAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false)).Body, rootKey, type);

    /// <summary>A GET that sends the ETag of what the caller already has: null when the object did not change (304).</summary>
    public async Task<(T? Value, string? ETag)> GetIfChangedAsync<T>(string path, string rootKey, JsonTypeInfo<T> type, string? etag, CancellationToken cancellationToken)
        where T : class
    {
        var answer = await SendAsync(HttpMethod.Get, path, null, etag, cancellationToken).ConfigureAwait(false);
        return answer.NotModified ? (null, etag) : (One(answer.Body, rootKey, type), answer.ETag);
    }

    public async Task<Answer> WriteAsync<TBody>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> type, CancellationToken cancellationToken) =>
        await SendAsync(method, path, JsonSerializer.SerializeToUtf8Bytes(body, type), null, cancellationToken).ConfigureAwait(false);

    public async Task<T> WriteAsync<TBody, T>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, string rootKey, JsonTypeInfo<T> type,
        CancellationToken cancellationToken) =>
        One((await WriteAsync(method, path, body, bodyType, cancellationToken).ConfigureAwait(false)).Body, rootKey, type);

    public Task DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, null, cancellationToken);

    public async Task<Page<T>> GetPageAsync<T>(string pathOrUrl, string rootKey, JsonTypeInfo<List<T>> type, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, pathOrUrl, null, null, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(answer.Body);
        var envelope = document.RootElement;
        var items = envelope.GetProperty(rootKey).Deserialize(type) ?? [];
        var total = envelope.TryGetProperty("meta", out var meta) && meta.TryGetProperty("total", out var t) ? t.GetInt64() : items.Count;
        var links = envelope.TryGetProperty("links", out var l) && l.TryGetProperty("pages", out var pages)
            ? pages.Deserialize(ClientJson.Default.PageLinks) ?? PageLinks.None
            : PageLinks.None;
        return new Page<T>(items, total, links);
    }

    /// <summary>Every item of a collection, page after page, following links.pages.next as the server gives it.</summary>
    public async IAsyncEnumerable<T> ListAsync<T>(string firstPage, string rootKey, JsonTypeInfo<List<T>> type,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = firstPage;
        while (next is not null)
        {
            var page = await GetPageAsync(next, rootKey, type, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
                yield return item;
            next = page.Items.Count == 0 ? null : page.Links.Next?.ToString();
        }
    }

    /// <summary>The one object under the envelope's root key.</summary>
    public static T One<T>(byte[] body, string rootKey, JsonTypeInfo<T> type)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty(rootKey).Deserialize(type)
               ?? throw new JsonException($"The answer's {rootKey} is null.");
    }

    /// <summary>
    /// A relative path goes under the API root; an absolute URL (a paging link) must point into it, so the
    /// credentials are never sent to another host a link might name.
    /// </summary>
    Uri Resolve(string pathOrUrl)
    {
        var uri = new Uri(root, pathOrUrl);
        if (!root.IsBaseOf(uri))
            throw new InvalidOperationException($"{uri} is outside the API at {root}; the client does not follow it.");
        return uri;
    }

    static Uri ApiRoot(Uri baseUrl)
    {
        var text = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (baseUrl.AbsolutePath is "/" or "")
            text += "/api/v1";
        return new Uri(text + "/");
    }

    static ApiException ToException(HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;
        var retryAfter = RetryRules.RetryAfter(response.Headers.RetryAfter);
        var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var e = document.RootElement;
            var errors = e.TryGetProperty("errors", out var list) ? list.Deserialize(ClientJson.Default.ListFieldError) ?? [] : [];
            return new ApiException(status, e.GetProperty("id").GetString() ?? "", e.GetProperty("message").GetString() ?? "",
                e.TryGetProperty("request_id", out var r) ? r.GetString() : requestId, errors, retryAfter);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not the API's error body (a proxy in between, say): keep what the status says.
            var reason = response.ReasonPhrase ?? ((HttpStatusCode)status).ToString();
            return new ApiException(status, "http_" + status, reason, requestId, [], retryAfter);
        }
    }
}
