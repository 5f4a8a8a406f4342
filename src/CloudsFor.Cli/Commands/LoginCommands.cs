using System.CommandLine;
using CloudsFor.Cli.Config;
using CloudsFor.Cli.Output;
using CloudsFor.Client;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>A context as `context list` shows it: never its token.</summary>
public sealed record ContextRow(string Name, bool Current, string Url, string Username, string? CaFile);

/// <summary>`cloudsfor login` and `cloudsfor context …`: which server, as whom, with which token.</summary>
public static class LoginCommands
{
    const string DefaultContext = "default";

    public static Command Login()
    {
        var url = Text("--url", "the server, e.g. https://127.0.0.1:8443 (default: CLOUDSFOR_URL)", "URL");
        var username = Required("--username", "your username", "NAME", "-u");
        var passwordStdin = Switch("--password-stdin", "read the password from the first line of stdin (else it is asked for, without echo)");
        var caFile = Text("--ca-file", "the server's CA certificate (its data folder's tls/ca.pem) to trust", "FILE");
        var scopes = Many("--scopes", "the scopes of the CLI's token (default read,write; operators add admin)", "SCOPES");
        return Command("login",
            "sign in once: stores an API token made for this machine (never the password) as a context",
            "cloudsfor login --url https://127.0.0.1:8443 --username alice --ca-file ./data/tls/ca.pem\n" +
            "echo \"$PASSWORD\" | cloudsfor login --url https://cloud.example:8443 -u alice --password-stdin --context work\n" +
            "# The token, URL, username and CA file go to ~/.config/cloudsfor/config.json (mode 0600; $XDG_CONFIG_HOME is\n" +
            $"# respected) as the context --context names (default {DefaultContext}), which becomes the current one.\n" +
            "# CLOUDSFOR_URL, CLOUDSFOR_TOKEN and CLOUDSFOR_CA_FILE override the stored context for any command.",
            url, username, passwordStdin, caFile, scopes).Does(async run =>
        {
            var server = run.Get(url) ?? (Environment.GetEnvironmentVariable("CLOUDSFOR_URL") is { Length: > 0 } fromEnv ? fromEnv : null);
            if (server is null)
                throw new UsageException("give --url (or set CLOUDSFOR_URL)");
            var ca = run.Get(caFile) is { } file ? Path.GetFullPath(file) : null;
            var user = run.Get(username);
            var password = Secrets.ReadPassword(run.Get(passwordStdin), $"Password for {user} at {server}: ");
            var name = run.Get(Globals.Context) ?? DefaultContext;
            var config = CliConfig.Load();

            using var client = Session.Client(server, CloudsForCredential.Basic(user, password), ca, run.Get(Globals.Verbose));
            var tokenName = $"cli-{Environment.MachineName}-{DateTime.UtcNow:yyyy-MM-dd}";
            var token = await client.Tokens.CreateAsync(new CreateTokenRequest(tokenName, Split(run.Get(scopes)) ?? [TokenScope.Read, TokenScope.Write]), run.Cancel);
            if (token.Secret is null)
                throw new CliFailure(token.Message ?? "the server sent no token secret; try again");
            // The token this context held before is of no use once replaced: revoke it rather than leave it valid.
            if (config.Contexts.TryGetValue(name, out var old) && old.Url == server && old.Username == user && old.TokenId is { } oldId && oldId != token.Id)
                await RevokeQuietly(client, oldId, run.Cancel);

            config.Contexts[name] = new CliContext(server, user, token.Secret, token.Id, ca);
            (config with { CurrentContext = name }).Save();
            Console.Error.WriteLine($"Logged in to {server} as {user}: context {name} (token {tokenName}, scopes {string.Join(",", token.Scopes)}) " +
                                    $"is now current, in {CliConfig.FilePath()}");
        });
    }

    static async Task RevokeQuietly(CloudsForClient client, string tokenId, CancellationToken cancellationToken)
    {
        try
        {
            await client.Tokens.DeleteAsync(tokenId, cancellationToken);
        }
        catch (ApiException e) when (e.Status == 404)
        {
            // Already deleted by hand.
        }
    }

    public static Command Context()
    {
        var list = Command("list", "list the stored contexts (their tokens are not shown)", "cloudsfor context list").Does(run =>
        {
            var config = CliConfig.Load();
            var rows = config.Contexts.OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new ContextRow(c.Key, c.Key == config.CurrentContext, c.Value.Url, c.Value.Username, c.Value.CaFile)).ToList();
            run.Out.List(rows, Rows, CliJson.Default.ListContextRow);
            return Task.CompletedTask;
        });

        var useName = Id("name", "the context's name");
        var use = Command("use", "make a context the current one", "cloudsfor context use work", useName).Does(run =>
        {
            var config = CliConfig.Load();
            var name = run.Get(useName);
            if (!config.Contexts.ContainsKey(name))
                throw new UsageException($"no context named {name} (cloudsfor context list shows them)");
            (config with { CurrentContext = name }).Save();
            Console.Error.WriteLine($"Context {name} is now current");
            return Task.CompletedTask;
        });

        var deleteName = Id("name", "the context's name");
        var delete = Command("delete", "forget a context (its token stays valid on the server until you delete it: cloudsfor token delete)",
            "cloudsfor context delete old-lab", deleteName).Does(run =>
        {
            var config = CliConfig.Load();
            var name = run.Get(deleteName);
            if (!config.Contexts.Remove(name))
                throw new UsageException($"no context named {name} (cloudsfor context list shows them)");
            (config with { CurrentContext = config.CurrentContext == name ? null : config.CurrentContext }).Save();
            Console.Error.WriteLine($"Deleted context {name}");
            return Task.CompletedTask;
        });

        var current = Command("current", "print the current context's name", "cloudsfor context current").Does(run =>
        {
            Console.Out.WriteLine(CliConfig.Load().CurrentContext ?? throw new UsageException("no current context: cloudsfor login, or cloudsfor context use NAME"));
            return Task.CompletedTask;
        });
        return Group("context", "the stored servers and logins (contexts)", list, use, delete, current);
    }

    static readonly IReadOnlyList<Column<ContextRow>> Rows =
    [
        new("Name", c => c.Name),
        new("Current", c => c.Current ? "*" : ""),
        new("URL", c => c.Url),
        new("Username", c => c.Username),
        new("CaFile", c => c.CaFile, false),
    ];
}
