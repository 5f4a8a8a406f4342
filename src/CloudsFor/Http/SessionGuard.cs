namespace CloudsFor.Http;

/// <summary>
/// What a request authenticated by the panel's cookie must also show, because a browser attaches the cookie by itself:
/// it comes from this server's own origin (a page elsewhere gets a 403, whatever it asks), and if it changes anything,
/// it carries the session's anti-forgery token in X-CSRF-Token, which only a script of this origin can read (from
/// GET /sessions/current). Requests with Basic or Bearer credentials are not concerned: no browser sends those unasked.
/// </summary>
public static class SessionGuard
{
    public const string CsrfHeader = "X-CSRF-Token";

    public static void Check(HttpRequest request, BrowserSession session, bool writes)
    {
        RequireOwnOrigin(request);
        if (writes && !Sessions.CsrfMatches(session, request.Headers[CsrfHeader].ToString()))
            throw ApiError.Forbidden($"A request that changes something with the panel's session cookie needs the session's anti-forgery token in the {CsrfHeader} header (csrf_token of GET /api/v1/sessions/current).");
    }

    /// <summary>
    /// Refuses a browser request sent by a page of another origin: by its Origin header, or, when a browser sent none,
    /// by Sec-Fetch-Site. Clients that send neither (curl, scripts) are not browsers and pass.
    /// </summary>
    public static void RequireOwnOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        var own = request.Host.HasValue ? $"{request.Scheme}://{request.Host.Value}" : null;
        if (origin.Length > 0 ? !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) : request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
            throw ApiError.Forbidden("Requests with the panel's session cookie are accepted only from the panel's own origin; this one came from another site.");
    }
}
