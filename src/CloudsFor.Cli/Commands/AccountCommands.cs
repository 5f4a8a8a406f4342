using System.CommandLine;
using CloudsFor.Cli.Output;
using CloudsFor.Client.Models;
using static CloudsFor.Cli.Define;

namespace CloudsFor.Cli.Commands;

/// <summary>`cloudsfor account|token|user …`: who you are, your tokens, and (operators) the users.</summary>
public static class AccountCommands
{
    public static Command Account()
    {
        var get = Command("get", "show your account: limits and what your VMs use", "cloudsfor account get\ncloudsfor account get --format Username,VMs,VCPUs,Memory")
            .Does(async run => run.Out.One(await run.Client.Account.GetAsync(run.Cancel), Columns.Account, CliJson.Default.Account));
        return Group("account", "your account", get);
    }

    public static Command Tokens()
    {
        var list = Command("list", "list your API tokens (their secrets are never shown again)", "cloudsfor token list").Does(async run =>
        {
            var tokens = new List<ApiToken>();
            await foreach (var token in run.Client.Tokens.ListAsync(200, run.Cancel))
                tokens.Add(token);
            run.Out.List(tokens, Columns.Token, CliJson.Default.ListApiToken);
        });

        var getId = Id("id", "the token's id");
        var get = Command("get", "show one token", "cloudsfor token get 7a9b…", getId).Does(async run =>
            run.Out.One(await run.Client.Tokens.GetAsync(run.Get(getId), run.Cancel), Columns.Token, CliJson.Default.ApiToken));

        var name = Id("name", "the token's name");
        var scopes = Many("--scopes", "read, write and/or admin, comma-separated (default read,write)", "SCOPES");
        var expires = Number("--expires-in", "seconds until it expires (default: never)", "SECONDS");
        var create = Command("create", "create an API token; its secret is shown this once (column Token)",
            "cloudsfor token create ci --scopes read --format ID,Token\ncloudsfor token create deploy -o json | jq -r .token", name, scopes, expires).Does(async run =>
        {
            var request = new CreateTokenRequest(run.Get(name), Split(run.Get(scopes)) ?? [TokenScope.Read, TokenScope.Write], run.Get(expires));
            var token = await run.Client.Tokens.CreateAsync(request, run.Cancel);
            if (token.Message is { } message)
                Console.Error.WriteLine(message);
            var columns = run.Has(Globals.Format) ? Columns.Token : Columns.Token.Select(c => c with { Default = c.Default || c.Name == "Token" }).ToList();
            run.Out.One(token, columns, CliJson.Default.ApiToken);
        });

        var updateId = Id("id", "the token's id");
        var newName = Required("--name", "the new name", "NAME");
        var update = Command("update", "rename a token", "cloudsfor token update 7a9b… --name ci-old", updateId, newName).Does(async run =>
            run.Out.One(await run.Client.Tokens.UpdateAsync(run.Get(updateId), new UpdateTokenRequest(run.Get(newName)), run.Cancel), Columns.Token, CliJson.Default.ApiToken));

        var deleteId = Id("id", "the token's id");
        var delete = Command("delete", "revoke a token at once", "cloudsfor token delete 7a9b…", deleteId).Does(async run =>
        {
            await run.Client.Tokens.DeleteAsync(run.Get(deleteId), run.Cancel);
            Console.Error.WriteLine($"Deleted token {run.Get(deleteId)}");
        });
        return Group("token", "your API tokens", list, get, create, update, delete);
    }

    public static Command Users()
    {
        var list = Command("list", "list the users (operators: needs a token with the admin scope)", "cloudsfor user list").Does(async run =>
        {
            var users = new List<User>();
            await foreach (var user in run.Client.Users.ListAsync(200, run.Cancel))
                users.Add(user);
            run.Out.List(users, Columns.User, CliJson.Default.ListUser);
        });

        var getId = Id("id", "the user's id");
        var get = Command("get", "show one user", "cloudsfor user get 0b6e…", getId).Does(async run =>
            run.Out.One(await run.Client.Users.GetAsync(run.Get(getId), run.Cancel), Columns.User, CliJson.Default.User));

        var username = Id("username", "the new user's name");
        var email = Required("--email", "the user's e-mail address", "EMAIL");
        var passwordStdin = Switch("--password-stdin", "read the password from the first line of stdin (else it is asked for)");
        var vmLimit = Number("--vm-limit", "how many VMs the user may have");
        var admin = Switch("--admin", "make the user an operator");
        var create = Command("create", "create a user, an account of its own (operators)",
            "cloudsfor user create alice --email alice@example.com\necho \"$PASSWORD\" | cloudsfor user create bob --email bob@example.com --password-stdin --vm-limit 5",
            username, email, passwordStdin, vmLimit, admin).Does(async run =>
        {
            var password = Secrets.ReadPassword(run.Get(passwordStdin), $"Password for {run.Get(username)}: ");
            var user = await run.Client.Users.CreateAsync(new CreateUserRequest(run.Get(username), password, run.Get(email), run.Get(vmLimit),
                run.Get(admin) ? true : null), run.Cancel);
            run.Out.One(user, Columns.User, CliJson.Default.User);
        });

        var deleteId = Id("id", "the user's id");
        var delete = Command("delete", "delete a user: its tokens at once, its VMs in the background", "cloudsfor user delete 0b6e…", deleteId).Does(async run =>
        {
            await run.Client.Users.DeleteAsync(run.Get(deleteId), run.Cancel);
            Console.Error.WriteLine($"Deleted user {run.Get(deleteId)}");
        });
        // A user's password is not set here but with `cloudsfor admin reset-password` on the server.
        return Group("user", "users (operators only)", list, get, create, Update(), delete);
    }

    static Command Update()
    {
        var id = Id("id", "the user's id");
        var email = Text("--email", "the new e-mail address", "EMAIL");
        var admin = Text("--admin", "true: make the user an operator; false: no longer one", "true|false");
        var vmLimit = Number("--vm-limit", "how many VMs the user may have (below the present count: no new ones)");
        var volumeLimit = Number("--volume-limit", "how many volumes the user may have");
        var gigabytes = Number("--volume-gigabytes-limit", "how many GiB of volumes the user may have together", "GIB");
        return Command("update", "change a user's limits, e-mail or admin flag (operators)",
            "cloudsfor user update 0b6e… --vm-limit 10 --volume-limit 5\ncloudsfor user update 0b6e… --admin false", id, email, admin, vmLimit, volumeLimit, gigabytes)
            .Does(async run =>
            {
                bool? isAdmin = run.Get(admin) switch
                {
                    null => null,
                    "true" => true,
                    "false" => false,
                    var other => throw new UsageException($"--admin takes true or false, not '{other}'"),
                };
                var request = new UpdateUserRequest(run.Get(email), isAdmin, run.Get(vmLimit), run.Get(volumeLimit), run.Get(gigabytes));
                if (request == new UpdateUserRequest())
                    throw new UsageException("give at least one of --email, --admin, --vm-limit, --volume-limit, --volume-gigabytes-limit");
                run.Out.One(await run.Client.Users.UpdateAsync(run.Get(id), request, run.Cancel), Columns.User, CliJson.Default.User);
            });
    }
}
