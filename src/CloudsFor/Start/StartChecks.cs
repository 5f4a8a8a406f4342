using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using Microsoft.Data.Sqlite;

namespace CloudsFor.Start;

/// <summary>
/// What `serve` needs before the host starts, each checked up front so that a failure is a <see cref="StartFailure"/>
/// naming the option to change, rather than an exception out of the host with its stack trace (exit 134).
/// </summary>
public static class StartChecks
{
    public static void DataFolder(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            // A folder that exists but cannot be written fails here, not halfway through the first write.
            var probe = Path.Combine(dir, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartFailure($"the data folder {dir} cannot be written: {StartFailure.Reason(e)} (choose another with --data DIR)");
        }
    }

    /// <summary>
    /// Binds the API's address and lets it go, so a port in use is one line here; Kestrel binds it right after
    /// (both with SO_REUSEADDR, which .NET sets on Linux, and a socket that never listened leaves no TIME_WAIT).
    /// </summary>
    public static void Port(IPEndPoint endpoint)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endpoint.Address.Equals(IPAddress.IPv6Any))
            socket.DualMode = true;
        try
        {
            socket.Bind(endpoint);
        }
        catch (SocketException e)
        {
            throw new StartFailure($"cannot listen on {endpoint}: {StartFailure.Reason(e)} (choose another with --listen HOST:PORT)");
        }
    }

    public static Catalog Catalog(ServeOptions options)
    {
        var path = options.CatalogFile ?? Path.Combine(options.DataDir, "catalog.json");
        try
        {
            return Model.Catalog.LoadOrCreate(path);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new StartFailure($"{StartFailure.Reason(e)} (fix the file, or choose another with --catalog FILE)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartFailure($"cannot read the catalog {path}: {StartFailure.Reason(e)} (choose another with --catalog FILE)");
        }
    }

    public static ServerKey ServerKey(string dataDir)
    {
        try
        {
            return Model.ServerKey.LoadOrCreate(dataDir);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new StartFailure($"{StartFailure.Reason(e)} (or choose another data folder with --data DIR)");
        }
    }

    public static X509Certificate2 Certificate(ServeOptions options, Action<string> tellOperator)
    {
        try
        {
            return Tls.Load(options.DataDir, options.TlsCert, options.TlsKey, tellOperator);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new StartFailure(options.TlsCert is not null
                ? $"cannot serve the certificate {options.TlsCert} with the key {options.TlsKey}: {StartFailure.Reason(e)} (check --tls-cert and --tls-key)"
                : $"cannot serve the generated certificate in {Path.Combine(options.DataDir, "tls")}: {StartFailure.Reason(e)} " +
                  "(remove that folder to have a new one generated, or give --tls-cert and --tls-key)");
        }
    }

    /// <summary>Runs the store's preparation (migrations, catalog images, the first admin), turning a store that cannot be used into one line.</summary>
    public static async Task Store(StoreEngine engine, Func<Task> prepare)
    {
        var path = engine.Describe;
        var elsewhere = engine is PostgresEngine ? "another database with --database URL" : "another data folder with --data DIR";
        try
        {
            await prepare();
        }
        catch (SqliteException e)
        {
            throw new StartFailure($"cannot open the store {path}: {StartFailure.Reason(e)} (repair or restore it, or choose {elsewhere})");
        }
        catch (Npgsql.NpgsqlException e)
        {
            throw new StartFailure($"cannot use the store {path}: {StartFailure.Reason(e)} (check that PostgreSQL runs there and the user may connect and create tables, or choose {elsewhere})");
        }
        catch (NewerStoreException e)
        {
            throw new StartFailure($"{path}: {e.Message}: run that version, or choose {elsewhere}");
        }
    }
}
