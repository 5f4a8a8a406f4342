using System.Net;
using System.Net.Sockets;
using CloudsFor.Store;
using Microsoft.Data.Sqlite;

namespace CloudsFor.Tests.Startup;

/// <summary>
/// Whatever stops `serve` from starting is one line on standard error that starts "cloudsfor: " and names the option
/// to change, and the exit code is 2: never a stack trace, never the runtime's abort (134).
/// The tests of a broken SQLite file carry the trait Store=sqlite, which the PostgreSQL run of test.sh leaves out.
/// </summary>
public sealed class StartFailureTests
{
    [Fact]
    public async Task A_port_in_use_names_listen()
    {
        using var data = new TempFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = await Serve(data.Path, "--listen", $"127.0.0.1:{port}");
        AssertOneLine(result, $"cloudsfor: cannot listen on 127.0.0.1:{port}: Address already in use (choose another with --listen HOST:PORT)");
    }

    [Fact]
    public async Task A_certificate_that_is_not_pem_names_tls_cert()
    {
        using var data = new TempFolder();
        var file = data.Sub("cert.pem");
        File.WriteAllText(file, "not a certificate\n");
        var result = await Serve(data.Sub("data"), "--listen", $"127.0.0.1:{FreePort()}", "--tls-cert", file, "--tls-key", file);
        AssertOneLine(result, $"cloudsfor: cannot serve the certificate {file} with the key {file}: " +
                              "The certificate contents do not contain a PEM with a CERTIFICATE label, or the content is malformed (check --tls-cert and --tls-key)");
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_made_names_data()
    {
        using var scratch = new TempFolder();
        File.WriteAllText(scratch.Sub("file"), "");
        // Below a regular file no folder can exist, whoever runs the test (root writes everywhere else).
        var data = Path.Combine(scratch.Sub("file"), "data");
        var result = await Serve(data, "--listen", $"127.0.0.1:{FreePort()}");
        AssertOneLine(result, $"cloudsfor: the data folder {data} cannot be written: Could not find a part of the path '{data}' (choose another with --data DIR)");
    }

    [Fact]
    [Trait("Store", "sqlite")]
    public async Task A_store_from_a_newer_version_names_data()
    {
        using var data = new TempFolder();
        var store = data.Sub("cloudsfor.db");
        using (var connection = new SqliteConnection($"Data Source={store}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {Migrations.Latest + 1}";
            command.ExecuteNonQuery();
        }
        var result = await Serve(data.Path, "--listen", $"127.0.0.1:{FreePort()}");
        AssertOneLine(result, $"cloudsfor: {store}: the store is at schema version {Migrations.Latest + 1}, written by a newer CloudsFor; " +
                              $"this one knows up to version {Migrations.Latest}: run that version, or choose another data folder with --data DIR");
    }

    [Fact]
    [Trait("Store", "sqlite")]
    public async Task A_store_that_cannot_be_opened_names_data()
    {
        using var data = new TempFolder();
        var store = data.Sub("cloudsfor.db");
        Directory.CreateDirectory(store);
        var result = await Serve(data.Path, "--listen", $"127.0.0.1:{FreePort()}");
        AssertOneLine(result, $"cloudsfor: cannot open the store {store}: SQLite Error 14: 'unable to open database file' " +
                              "(repair or restore it, or choose another data folder with --data DIR)");
    }

    [Fact]
    [Trait("Store", "sqlite")]
    public async Task A_store_that_is_not_a_database_names_data()
    {
        using var data = new TempFolder();
        var store = data.Sub("cloudsfor.db");
        File.WriteAllText(store, "these are not the pages of a database, and there are enough of them to tell: " + new string('x', 200));
        var result = await Serve(data.Path, "--listen", $"127.0.0.1:{FreePort()}");
        AssertOneLine(result, $"cloudsfor: cannot open the store {store}: SQLite Error 26: 'file is not a database' " +
                              "(repair or restore it, or choose another data folder with --data DIR)");
    }

    [Fact]
    public async Task An_unknown_option_names_itself_and_where_the_options_are()
    {
        using var data = new TempFolder();
        var result = await Serve(data.Path, "--lisen", "127.0.0.1:1");
        AssertOneLine(result, "cloudsfor: unknown option --lisen (cloudsfor serve --help lists the options)");
    }

    [Fact]
    public async Task The_qemu_driver_on_a_shared_database_asks_which_compute_host_this_is()
    {
        using var data = new TempFolder();
        var result = await Serve(data.Path, "--driver", "qemu", "--database", "postgres://cloudsfor@127.0.0.1:1/cloudsfor");
        AssertOneLine(result, "cloudsfor: --driver qemu with --database runs every VM on one compute host: say which machine this is with " +
                              "--compute-host NAME (VMs on several compute hosts come later: until then, one qemu server per database)");
    }

    [Fact]
    public async Task A_database_that_is_not_a_postgres_URL_names_database()
    {
        using var data = new TempFolder();
        var result = await Serve(data.Path, "--database", "mysql://root:secret@db/cloudsfor");
        AssertOneLine(result, "cloudsfor: --database: 'mysql://root:***@db/cloudsfor' is not a PostgreSQL URL such as postgres://USER:PASSWORD@HOST:5432/DB");
    }

    [Fact]
    public async Task An_unknown_command_is_one_line()
    {
        var result = await Cli.Run("srve");
        AssertOneLine(result, "cloudsfor: unknown command srve (cloudsfor --help lists the commands)");
    }

    /// <summary>`serve` on its own DNS-less configuration, so that no failure here comes from a DNS port.</summary>
    static Task<Cli.Result> Serve(string data, params string[] args) => Cli.Run(["serve", "--data", data, "--dns-listen", "off", .. args]);

    static void AssertOneLine(Cli.Result result, string line)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(line + "\n", result.Stderr);
        Assert.DoesNotContain("listening on", result.Stdout);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
