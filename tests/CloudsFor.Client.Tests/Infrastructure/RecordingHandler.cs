using System.Collections.Concurrent;
using System.Net;

namespace CloudsFor.Client.Tests.Infrastructure;

/// <summary>One attempt as it went over the wire: what was asked and what came back.</summary>
public sealed record Exchange(HttpMethod Method, string PathAndQuery, string? IdempotencyKey, string? IfNoneMatch, HttpStatusCode Status, bool Replayed);

/// <summary>Sits between the client and the network and writes down every attempt, so a test can count retries and statuses.</summary>
public class RecordingHandler : DelegatingHandler
{
    readonly ConcurrentQueue<Exchange> exchanges = new();

    int attempts;

    public IReadOnlyList<Exchange> Exchanges => exchanges.ToList();

    /// <summary>Requests sent, answered or not (a refused certificate or a broken connection leaves no exchange).</summary>
    public int Attempts => Volatile.Read(ref attempts);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref attempts);
        var response = await base.SendAsync(request, cancellationToken);
        exchanges.Enqueue(new Exchange(request.Method, request.RequestUri!.PathAndQuery,
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
            request.Headers.TryGetValues("If-None-Match", out var tags) ? tags.Single() : null,
            response.StatusCode, response.Headers.Contains("Idempotent-Replayed")));
        return await AfterAnswer(request, response);
    }

    /// <summary>What the client gets instead of the answer; a test may lose it here, after the server acted.</summary>
    protected virtual Task<HttpResponseMessage> AfterAnswer(HttpRequestMessage request, HttpResponseMessage response) => Task.FromResult(response);
}
