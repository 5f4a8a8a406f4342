namespace CloudsFor.Http;

public sealed record FieldError(string Field, string Message);

/// <summary>
/// The one error type of the API: thrown anywhere below a handler, written as the contract's
/// error body by <see cref="ErrorBodies"/>.
/// </summary>
public sealed class ApiError(int status, string id, string message, IReadOnlyList<FieldError>? errors = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Id { get; } = id;
    public IReadOnlyList<FieldError>? Errors { get; } = errors;

    /// <summary>Sent as Retry-After with the error, when set.</summary>
    public long? RetryAfterSeconds { get; init; }

    public static ApiError BadRequest(string message) => new(400, "bad_request", message);
    public static ApiError Unauthorized() => new(401, "unauthorized", "Unable to authenticate you.");
    public static ApiError Forbidden(string message = "You do not have access for the attempted action.") => new(403, "forbidden", message);
    public static ApiError NotFound() => new(404, "not_found", "The resource you were accessing could not be found.");
    public static ApiError Conflict(string message) => new(409, "conflict", message);
    public static ApiError PreconditionFailed() => new(412, "precondition_failed", "The resource has changed since the ETag given in If-Match.");
    public static ApiError PayloadTooLarge() => new(413, "payload_too_large", "The request body is larger than 1 MiB.");
    public static ApiError UnsupportedMediaType() => new(415, "unsupported_media_type", "The request body must be JSON, sent with Content-Type: application/json.");
    public static ApiError TooManyRequests() => new(429, "too_many_requests", "API rate limit exceeded.");

    public static ApiError SignInLocked(long retryAfterSeconds) =>
        new(429, "too_many_requests", "Too many failed sign-ins for this username or from this address; try again after Retry-After seconds.")
        {
            RetryAfterSeconds = retryAfterSeconds,
        };

    /// <summary>A store in trouble: the request was fine and may be sent again; a full disk waits for the operator, so its retry is slower.</summary>
    public static ApiError Unavailable(Store.StoreFault fault) => fault switch
    {
        Store.StoreFault.DiskFull => new(503, "service_unavailable",
            $"The server's disk is full, so it cannot store changes now; reads still work. Try the write again later {RetrySafely}.")
            { RetryAfterSeconds = 30 },
        Store.StoreFault.DiskFailing => new(503, "service_unavailable", $"The server could not write to its disk; try again shortly {RetrySafely}.")
            { RetryAfterSeconds = 5 },
        _ => new(503, "service_unavailable", $"The store cannot be reached right now; try again shortly {RetrySafely}.") { RetryAfterSeconds = 5 },
    };

    const string RetrySafely = "(a POST sent again with the same Idempotency-Key is not done twice)";

    public static ApiError Invalid(IReadOnlyList<FieldError> errors) =>
        new(422, "unprocessable_entity", string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);

    public static ApiError Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    /// <summary>The statuses the contract names, with their error ids; used for bodies nothing else wrote.</summary>
    public static string IdFor(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        412 => "precondition_failed",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable_entity",
        429 => "too_many_requests",
        503 => "service_unavailable",
        _ => status >= 500 ? "server_error" : "bad_request",
    };
}
