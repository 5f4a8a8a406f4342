using System.Data.Common;
using Dapper;

namespace CloudsFor.Store;

/// <summary>
/// The simulated driver's rows (schema: the last step of Migrations): its objects by kind and id with their state as
/// JSON, each VM's console lines, and a row per operation it ran. Every statement runs on SQLite and PostgreSQL alike.
/// </summary>
public static class SimulatedSql
{
    /// <summary>The console lines kept per VM: as many as the API lets one ask for (GET .../console?lines=5000).</summary>
    public const int ConsoleLines = 5000;

    public static Task<string?> State(DbConnection c, string kind, string id, DbTransaction? t = null) =>
        Prepared.Scalar<string?>(c, "SELECT state FROM simulated_objects WHERE kind = @kind AND id = @id", new { kind, id }, t);

    /// <summary>The states of those of the objects that exist, by id, in one read.</summary>
    public static async Task<Dictionary<string, string>> States(DbConnection c, string kind, IReadOnlyList<string> ids) =>
        (await c.QueryAsync<(string Id, string State)>(Dialect.For(c, "SELECT id, state FROM simulated_objects WHERE kind = @kind AND id IN @ids"),
            new { kind, ids = ids.ToArray() }))
        .ToDictionary(row => row.Id, row => row.State);

    public static Task Put(DbConnection c, DbTransaction t, string kind, string id, string state) =>
        Prepared.Execute(c, t, "INSERT INTO simulated_objects (kind, id, state) VALUES (@kind, @id, @state) " +
            "ON CONFLICT (kind, id) DO UPDATE SET state = excluded.state", new { kind, id, state });

    /// <summary>Only if the object is not there yet (an import never overwrites what a server has changed since).</summary>
    public static Task Add(DbConnection c, DbTransaction t, string kind, string id, string state) =>
        Prepared.Execute(c, t, "INSERT INTO simulated_objects (kind, id, state) VALUES (@kind, @id, @state) ON CONFLICT (kind, id) DO NOTHING",
            new { kind, id, state });

    public static Task<int> Delete(DbConnection c, DbTransaction t, string kind, string id) =>
        Prepared.Execute(c, t, "DELETE FROM simulated_objects WHERE kind = @kind AND id = @id", new { kind, id });

    public static async Task<List<string>> Ids(DbConnection c, string kind) =>
        (await c.QueryAsync<string>("SELECT id FROM simulated_objects WHERE kind = @kind ORDER BY id", new { kind })).AsList();

    /// <summary>
    /// Appends a line to the VM's console, forgetting the lines before the last <see cref="ConsoleLines"/>. Lines are
    /// numbered from 1, so only a console past that many lines has any to forget: most prints are one statement, not two.
    /// The last number is the first row in descending order rather than MAX(seq), for the reason given at VmsSql.NextIpHost.
    /// </summary>
    public static async Task Print(DbConnection c, DbTransaction t, string vmId, string line)
    {
        var seq = await Prepared.Scalar<long>(c, "INSERT INTO simulated_console (vm_id, seq, line) " +
            "VALUES (@vmId, COALESCE((SELECT seq FROM simulated_console WHERE vm_id = @vmId ORDER BY seq DESC LIMIT 1), 0) + 1, @line) RETURNING seq",
            new { vmId, line }, t);
        if (seq > ConsoleLines)
            await Prepared.Execute(c, t, "DELETE FROM simulated_console WHERE vm_id = @vmId AND seq <= @oldest",
                new { vmId, oldest = seq - ConsoleLines });
    }

    /// <summary>The VM's last lines, oldest first.</summary>
    public static async Task<List<string>> Tail(DbConnection c, string vmId, int lines)
    {
        var newestFirst = (await c.QueryAsync<string>("SELECT line FROM simulated_console WHERE vm_id = @vmId ORDER BY seq DESC LIMIT @lines",
            new { vmId, lines })).AsList();
        newestFirst.Reverse();
        return newestFirst;
    }

    public static Task<long> ConsoleCount(DbConnection c, DbTransaction t, string vmId) =>
        Prepared.Scalar<long>(c, "SELECT COUNT(*) FROM simulated_console WHERE vm_id = @vmId", new { vmId }, t);

    public static Task ForgetConsole(DbConnection c, DbTransaction t, string vmId) =>
        Prepared.Execute(c, t, "DELETE FROM simulated_console WHERE vm_id = @vmId", new { vmId });

    /// <summary>An operation began on this server; its id, for <see cref="Ended"/>.</summary>
    public static Task<long> Started(DbConnection c, DbTransaction t, string resourceId, string operation, string server, string at) =>
        Prepared.Scalar<long>(c, "INSERT INTO simulated_executions (resource_id, operation, server, started_at) " +
            "VALUES (@resourceId, @operation, @server, @at) RETURNING id", new { resourceId, operation, server, at }, t);

    /// <summary>An operation that took no time, begun and ended at once: one row written whole.</summary>
    public static Task Ran(DbConnection c, DbTransaction t, string resourceId, string operation, string server, string at) =>
        Prepared.Execute(c, t, "INSERT INTO simulated_executions (resource_id, operation, server, started_at, ended_at) " +
            "VALUES (@resourceId, @operation, @server, @at, @at)", new { resourceId, operation, server, at });

    public static Task Ended(DbConnection c, DbTransaction t, long id, string at) =>
        Prepared.Execute(c, t, "UPDATE simulated_executions SET ended_at = @at WHERE id = @id", new { id, at });
}
