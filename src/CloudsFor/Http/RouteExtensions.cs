namespace CloudsFor.Http;

public static class RouteExtensions
{
    static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Every GET route answers HEAD too: the same status and headers, no body.</summary>
    public static RouteHandlerBuilder MapRead(this IEndpointRouteBuilder routes, string pattern, Delegate handler) =>
        routes.MapMethods(pattern, GetAndHead, handler);
}
