namespace CloudsFor.Client;

/// <summary>Where the API is, who calls it, what to trust, and how hard to try.</summary>
public sealed class CloudsForClientOptions
{
    /// <summary>The API root, e.g. https://cloud.example:8443/api/v1 (a bare origin gets /api/v1 added).</summary>
    public required Uri BaseUrl { get; set; }

    public CloudsForCredential? Credential { get; set; }

    /// <summary>
    /// A PEM file of the CA to trust, such as the server's <c>ca.pem</c> from its data folder. When set, the server's
    /// certificate must chain to this CA and name the host; the system's trusted roots are not consulted.
    /// </summary>
    public string? CaFile { get; set; }

    public RetryOptions Retry { get; } = new();

    /// <summary>How long one attempt may take before it is abandoned (and retried); a wait is bounded by its CancellationToken instead.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>How often WaitForActionAsync and WaitForVmAsync ask; an answer with nothing new is a 304 with no body.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Handlers every attempt passes through before the network, outermost first (request logging, tests).</summary>
    public IList<DelegatingHandler> Handlers { get; } = [];

    public string UserAgent { get; set; } = "CloudsFor.Client/" + typeof(CloudsForClientOptions).Assembly.GetName().Version?.ToString(3);
}

/// <summary>
/// Which failures are tried again and how long to wait in between. Retried: 429 (after its Retry-After),
/// 409 while the VM is locked by another action, 5xx, timeouts and failed connections; every other 4xx is final.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>Attempts after the first; 0 turns retries off.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first backoff; each next one doubles, up to <see cref="MaxDelay"/>, with random jitter.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A 429 whose Retry-After asks for longer than this is not waited for: the ApiException comes at once.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>HTTP Basic with a username and password, or an API token (sent as a Bearer token).</summary>
public sealed class CloudsForCredential
{
    CloudsForCredential(string scheme, string parameter)
    {
        Scheme = scheme;
        Parameter = parameter;
    }

    internal string Scheme { get; }
    internal string Parameter { get; }

    public static CloudsForCredential Basic(string username, string password) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(username + ":" + password)));

    public static CloudsForCredential Token(string token) => new("Bearer", token);

    /// <summary>Never the secret, so a credential can be logged by accident without harm.</summary>
    public override string ToString() => Scheme + " credential";
}
