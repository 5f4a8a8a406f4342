using System.Net;

namespace CloudsFor.Client;

/// <summary>
/// The server refused a request: the contract's error body (<c>id</c>, <c>message</c>, <c>request_id</c> and,
/// on a 422, one entry per invalid field). The only exception type the API's answers turn into.
/// </summary>
public sealed class ApiException(int status, string id, string message, string? requestId, IReadOnlyList<FieldError> errors, TimeSpan? retryAfter = null)
    : Exception(Describe(status, message, requestId, errors))
{
    public int Status { get; } = status;

    public HttpStatusCode StatusCode => (HttpStatusCode)Status;

    /// <summary>The error's id, e.g. not_found, unprocessable_entity, conflict.</summary>
    public string Id { get; } = id;

    /// <summary>The server's message, without the request id and field errors that <see cref="Exception.Message"/> adds.</summary>
    public string ServerMessage { get; } = message;

    /// <summary>Quote this when reporting a problem: the server logs it with the request.</summary>
    public string? RequestId { get; } = requestId;

    public IReadOnlyList<FieldError> Errors { get; } = errors;

    /// <summary>The server's Retry-After, when it sent one (429).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    static string Describe(int status, string message, string? requestId, IReadOnlyList<FieldError> errors)
    {
        var fields = errors.Count == 0 ? "" : " (" + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")) + ")";
        var request = requestId is null ? "" : $" [request {requestId}]";
        return $"{status}: {message}{fields}{request}";
    }
}

/// <summary>One invalid field of a 422.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>A wait ended in a state that will not change to the one waited for (an errored action or VM).</summary>
public sealed class WaitFailedException(string message, Models.CloudAction? action = null, Models.Vm? vm = null, Models.Image? image = null) : Exception(message)
{
    public Models.CloudAction? Action { get; } = action;
    public Models.Vm? Vm { get; } = vm;
    /// <summary>The custom image that errored, with its <see cref="Models.Image.ErrorMessage"/>.</summary>
    public Models.Image? Image { get; } = image;
}
