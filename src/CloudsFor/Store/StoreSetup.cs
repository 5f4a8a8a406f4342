using CloudsFor.Model;
using Dapper;

namespace CloudsFor.Store;

/// <summary>What every start does to the store before serving: schema up to date, catalog images in, an admin to log in with.</summary>
public static class StoreSetup
{
    public const int AdminVmLimit = 10_000;

    public static async Task Prepare(Db db, Catalog catalog, TimeProvider time, Func<string, string?> env, Action<string> tellOperator)
    {
        db.Engine.Migrate(db);
        var now = Clock.Stored(time.GetUtcNow());
        await db.Write(async (c, t) =>
        {
            var images = catalog.Images.Select(i => new ImageRow
            {
                Id = Ids.Derived("image", i.Slug), Slug = i.Slug, Name = i.Name, Distribution = i.Distribution, Type = "distribution",
                Description = i.Description, MinDiskSize = i.MinDiskSize, SizeGigabytes = i.SizeGigabytes, Status = "available", CreatedAt = now,
            }).ToList();
            foreach (var image in images)
                await ImagesSql.Upsert(c, t, image);
            await ImagesSql.RetireMissing(c, t, images.Select(i => i.Id));

            var password = env("CLOUDSFOR_ADMIN_PASSWORD") is { Length: > 0 } given ? given : null;
            if (await UsersSql.ByUsername(c, "admin", t) is not null || await UsersSql.Count(c) > 0)
            {
                // An operator who changed the variable expects the new password to work; say why it does not.
                if (password is not null)
                    tellOperator("cloudsfor: CLOUDSFOR_ADMIN_PASSWORD is ignored: it sets admin's password only on the first start, and this store has users already (change a password with cloudsfor admin reset-password)");
                return;
            }
            await UsersSql.Insert(c, t, new UserRow
            {
                Id = new Ids().New(), Username = "admin", Email = "admin@localhost", PasswordHash = Secrets.HashPassword(password ?? NewPassword(tellOperator)),
                IsAdmin = true, VmLimit = AdminVmLimit, CreatedAt = now,
            });
        });
    }

    /// <summary>
    /// The store remembers which server key its hashes were made with (<see cref="ServerKey.Check"/>); returns the check
    /// a server with another key finds there (null: the keys agree, or this is the store's first server).
    /// </summary>
    public static Task<string?> ClaimServerKey(Db db, ServerKey key) => db.Write(async (c, t) =>
    {
        var stored = await c.QuerySingleOrDefaultAsync<string>("SELECT value FROM store_settings WHERE name = 'server_key_check'", transaction: t);
        if (stored is null)
            await c.ExecuteAsync("INSERT INTO store_settings (name, value) VALUES ('server_key_check', @check)", new { check = key.Check }, t);
        return stored is null || stored == key.Check ? null : stored;
    });

    /// <summary>Shown once on the console and never stored in clear.</summary>
    static string NewPassword(Action<string> tellOperator)
    {
        var password = Secrets.NewPassword();
        tellOperator($"cloudsfor: created user admin with password {password} (shown only now)");
        return password;
    }
}
