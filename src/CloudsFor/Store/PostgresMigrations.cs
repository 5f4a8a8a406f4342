namespace CloudsFor.Store;

// Placeholder until the schema lands (branch pg-schema).
public static class PostgresMigrations
{
    public static int Latest => 0;
    public static void Apply(Npgsql.NpgsqlConnection connection) => throw new NotSupportedException("the PostgreSQL schema is not written yet");
}
