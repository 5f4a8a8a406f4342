using System.Diagnostics;
using CloudsFor.Cli.Config;
using CloudsFor.Client;

namespace CloudsFor.Cli;

/// <summary>
/// Which server and token a command uses: the context named by --context, else the current one; CLOUDSFOR_URL,
/// CLOUDSFOR_TOKEN and CLOUDSFOR_CA_FILE override its fields. A stored token only ever goes to the URL it was made for.
/// </summary>
public static class Session
{
    public static CloudsForClient Connect(string? contextName, bool verbose)
    {
        var config = CliConfig.Load();
        var name = contextName ?? config.CurrentContext;
        CliContext? context = null;
        if (name is not null && !config.Contexts.TryGetValue(name, out context) && contextName is not null)
            throw new UsageException($"no context named {name} (cloudsfor context list shows them)");
        var url = Env("CLOUDSFOR_URL") ?? context?.Url;
        var token = Env("CLOUDSFOR_TOKEN") ?? (context is not null && url == context.Url ? context.Token : null);
        if (url is null || token is null)
            throw new UsageException(url is null
                ? "not logged in: run cloudsfor login --url URL --username NAME, or set CLOUDSFOR_URL and CLOUDSFOR_TOKEN"
                : $"no token for {url}: set CLOUDSFOR_TOKEN, or log in to it with cloudsfor login");
        var caFile = Env("CLOUDSFOR_CA_FILE") ?? (context is not null && url == context.Url ? context.CaFile : null);
        return Client(url, CloudsForCredential.Token(token), caFile, verbose);
    }

    public static CloudsForClient Client(string url, CloudsForCredential credential, string? caFile, bool verbose)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("https" or "http"))
            throw new UsageException($"{url} is not an http(s) URL");
        if (caFile is not null && !File.Exists(caFile))
            throw new UsageException($"the CA file {caFile} does not exist");
        var options = new CloudsForClientOptions { BaseUrl = baseUrl, Credential = credential, CaFile = caFile };
        // A person at a terminal notices a one-second lag after an action completes; the server answers unchanged polls with a 304.
        options.PollInterval = TimeSpan.FromMilliseconds(500);
        options.UserAgent = "cloudsfor-cli/" + typeof(Session).Assembly.GetName().Version?.ToString(3);
        if (verbose)
            options.Handlers.Add(new VerboseHandler());
        return new CloudsForClient(options);
    }

    static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}

/// <summary>--verbose: one line per request and one per answer on stderr. Headers are never printed, so neither is the token.</summary>
internal sealed class VerboseHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"> {request.Method} {request.RequestUri}");
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var id = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
            Console.Error.WriteLine($"< {(int)response.StatusCode} {response.ReasonPhrase} {request.Method} {request.RequestUri} " +
                                    $"(request id {id ?? "none"}, {clock.ElapsedMilliseconds} ms)");
            return response;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"< failed {request.Method} {request.RequestUri}: {e.Message} ({clock.ElapsedMilliseconds} ms)");
            throw;
        }
    }
}
