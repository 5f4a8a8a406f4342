namespace CloudsFor.Tests.Infrastructure;

/// <summary>What the simulated driver keeps in a server's store (simulated_objects), read and changed behind its back, on either store.</summary>
public static class SimulatedRows
{
    public static bool Has(ServerProcess server, string kind, string id) =>
        StoreSql.Column<long>(server, "SELECT COUNT(*) FROM simulated_objects WHERE kind = @kind AND id = @id", ("kind", kind), ("id", id))[0] == 1;

    public static HashSet<string> Ids(ServerProcess server, string kind) =>
        StoreSql.Column<string>(server, "SELECT id FROM simulated_objects WHERE kind = @kind", ("kind", kind)).ToHashSet();

    /// <summary>The VM is gone from the hypervisor (state and console), as if its machine had been lost.</summary>
    public static void RemoveVm(ServerProcess server, string id)
    {
        Assert.Equal(1, StoreSql.Execute(server, "DELETE FROM simulated_objects WHERE kind = 'vm' AND id = @id", ("id", id)));
        StoreSql.Execute(server, "DELETE FROM simulated_console WHERE vm_id = @id", ("id", id));
    }
}
