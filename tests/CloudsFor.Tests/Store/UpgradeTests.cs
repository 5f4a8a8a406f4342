using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudsFor.Store;
using CloudsFor.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CloudsFor.Tests.Store;

/// <summary>
/// A data folder written by an older CloudsFor (its store at an old schema level, with the rows that server wrote, and its
/// simulated driver's state files) is opened and migrated by today's server, and everything in it is served through the
/// API as today's server shows it: users sign in with their old passwords, old tokens work, every VM, action, image,
/// domain and record is there, writes work, and a restart changes nothing.
/// </summary>
[Trait("Store", "sqlite")]
public sealed class UpgradeTests
{
    // Levels that released servers left: 1 is the first schema (the server's first commit); 4 the first with domains;
    // 6 and 8 as issues 2-5 and 9-10 landed; 10 as issue 11 landed; 16, the last before the simulated driver's state
    // moved into the store.
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(16)]
    public async Task A_store_from_an_older_release_is_migrated_with_nothing_lost(int level)
    {
        var old = new OldDataFolder(level);
        using var server = await ServerProcess.StartOnPreparedData(old.Write, "--sim-delay-ms", "0-20");
        Assert.Equal([(long)Migrations.Latest], StoreSql.Column<long>(server, "PRAGMA user_version"));

        var alice = ApiClient.Basic(server, "alice", OldDataFolder.AlicePassword);
        var admin = ApiClient.Basic(server, "admin", OldDataFolder.AdminPassword);
        var aliceToken = ApiClient.Bearer(server, OldDataFolder.AliceToken);
        var adminToken = ApiClient.Bearer(server, OldDataFolder.AdminToken);

        // The old users sign in with their passwords, the old tokens work, and the wrong password still does not.
        Assert.Equal(OldDataFolder.Alice, (await alice.Get("/account")).Expect(200)["account"].Str("uuid"));
        Assert.Equal(OldDataFolder.Admin, (await admin.Get("/account")).Expect(200)["account"].Str("uuid"));
        Assert.Equal(OldDataFolder.Alice, (await aliceToken.Get("/account")).Expect(200)["account"].Str("uuid"));
        (await ApiClient.Basic(server, "alice", OldDataFolder.AdminPassword).Get("/account")).ExpectError(401, "unauthorized");

        Assert.Equal(old.Users, await List(adminToken, "/users", "users", Render.User));
        Assert.Equal(old.TokensOf(OldDataFolder.Alice), await List(alice, "/tokens", "tokens", Render.Token));
        Assert.Equal(old.TokensOf(OldDataFolder.Admin), await List(admin, "/tokens", "tokens", Render.Token));
        Assert.Equal(old.VmsOf(OldDataFolder.Alice), await List(aliceToken, "/vms", "vms", Render.Vm));
        Assert.Equal(old.VmsOf(OldDataFolder.Admin), await List(admin, "/vms", "vms", Render.Vm));
        Assert.Equal(old.ActionsOf(OldDataFolder.Alice), await List(alice, "/actions", "actions", Render.Action));
        Assert.Equal(old.ActionsOf(OldDataFolder.Admin), await List(admin, "/actions", "actions", Render.Action));
        Assert.Equal(old.ImagesSeenBy(OldDataFolder.Alice), await List(alice, "/images", "images", Render.Image));
        Assert.Equal(old.SnapshotsOf(OldDataFolder.Alice), await List(alice, "/snapshots", "snapshots", Render.Snapshot));
        Assert.Equal(OldDataFolder.AliceTags, await List(alice, "/tags", "tags", Render.Tag));
        Assert.Equal("vms=3 vcpus=4 memory=3072 disk=70", Render.Usage((await alice.Get("/account")).Expect(200)["account"]));
        Assert.Equal(old.Domains, await List(alice, "/domains", "domains", Render.Domain));
        if (level >= OldDataFolder.DomainsLevel)
            Assert.Equal(OldDataFolder.Records, await List(alice, "/domains/example.com/records", "domain_records", Render.Record));

        // Writes: a new VM takes the region's next free address; an old one is renamed and powered off (so the driver
        // knows it); another is deleted.
        var created = await Vms.CreateActive(alice, name: "web-2", region: "fra1");
        Assert.Equal("10.16.0.5 active", $"{Render.Ip(created)} {created.Status()}");
        var renamed = (await alice.Put($"/vms/{OldDataFolder.Web}", new { name = "web-1-renamed" })).Expect(200)["vm"];
        Assert.Equal("web-1-renamed", renamed.Str("name"));
        Assert.Equal("off", (await Vms.RunCompleted(alice, OldDataFolder.Web, new { type = "power_off" })).Status());
        (await alice.Delete($"/vms/{OldDataFolder.Broken}")).Expect(204);
        (await alice.Get($"/vms/{OldDataFolder.Broken}")).ExpectError(404, "not_found");
        await Poll.Until(() => List(alice, "/actions", "actions", Render.Action), a => !a.Any(x => x.Contains(" in-progress ", StringComparison.Ordinal)),
            "the delete finishing");

        Assert.Equal(
            [
                $"{OldDataFolder.Web} web-1-renamed off locked=False 512/1/10 2026-11-29T02:40:00Z image={OldDataFolder.Tiny} size=s-1vcpu-512mb region=fra1 " +
                $"ip=10.16.0.2 tags=prod,web snapshots={OldDataFolder.Snapshot} volumes= forwards=0",
                old.VmsOf(OldDataFolder.Alice)[1],
                Render.Vm(await Vms.Get(alice, created.Str("id"))),
            ],
            await List(alice, "/vms", "vms", Render.Vm));
        Assert.Equal("vms=3 vcpus=4 memory=3072 disk=70", Render.Usage((await alice.Get("/account")).Expect(200)["account"]));

        // A restart (the store now at today's level) changes nothing.
        var before = await Everything(alice, admin);
        await server.RestartAsync();
        Assert.Equal(before, await Everything(alice, admin));
        Assert.Equal(OldDataFolder.Alice, (await aliceToken.Get("/account")).Expect(200)["account"].Str("uuid"));
    }

    static async Task<List<string>> Everything(ApiClient alice, ApiClient admin) =>
    [
        .. await List(admin, "/users", "users", Render.User),
        .. await List(alice, "/tokens", "tokens", Render.Token),
        .. await List(alice, "/vms", "vms", Render.Vm),
        .. await List(admin, "/vms", "vms", Render.Vm),
        .. await List(alice, "/actions", "actions", Render.Action),
        .. await List(admin, "/actions", "actions", Render.Action),
        .. await List(alice, "/images", "images", Render.Image),
        .. await List(alice, "/tags", "tags", Render.Tag),
        .. await List(alice, "/domains", "domains", Render.Domain),
    ];

    /// <summary>Every item of a list (one page is enough: the fixture is small, and the total says so).</summary>
    static async Task<List<string>> List(ApiClient api, string path, string key, Func<JsonElement, string> render)
    {
        var page = (await api.Get(path + "?per_page=200")).Expect(200);
        var items = page[key].EnumerateArray().Select(render).ToList();
        Assert.Equal(items.Count, page["meta"].GetProperty("total").GetInt32());
        return items;
    }
}

/// <summary>Each resource as one line of the fields the API shows, so a whole list compares at once and a difference reads.</summary>
static class Render
{
    static string Or(JsonElement e, string property) =>
        e.GetProperty(property) is { ValueKind: not JsonValueKind.Null } value ? value.ToString() : "-";

    static string Strings(JsonElement array) => string.Join(',', array.EnumerateArray().Select(s => s.GetString()));

    public static string Ip(JsonElement vm) => vm.GetProperty("networks").GetProperty("v4")[0].Str("ip_address");

    public static string Vm(JsonElement v) =>
        $"{v.Str("id")} {v.Str("name")} {v.Str("status")} locked={v.GetProperty("locked").GetBoolean()} " +
        $"{v.GetProperty("memory")}/{v.GetProperty("vcpus")}/{v.GetProperty("disk")} {v.Str("created_at")} image={v.GetProperty("image").Str("id")} " +
        $"size={v.Str("size_slug")} region={v.GetProperty("region").Str("slug")} ip={Ip(v)} tags={Strings(v.GetProperty("tags"))} " +
        $"snapshots={Strings(v.GetProperty("snapshot_ids"))} volumes={Strings(v.GetProperty("volume_ids"))} forwards={v.GetProperty("port_forwards").GetArrayLength()}";

    public static string Action(JsonElement a) =>
        $"{a.Str("id")} {a.Str("type")} {a.Str("status")} {a.Str("resource_type")}:{a.Str("resource_id")} {a.Str("region")} " +
        $"{a.Str("started_at")} {Or(a, "completed_at")} {(a.TryGetProperty("error", out var e) ? e.GetString() : "-")}";

    public static string User(JsonElement u) =>
        $"{u.Str("id")} {u.Str("username")} {u.Str("email")} {u.Str("status")} admin={u.GetProperty("admin").GetBoolean()} " +
        $"limits={u.GetProperty("vm_limit")}/{u.GetProperty("volume_limit")}/{u.GetProperty("volume_gigabytes_limit")} {u.Str("created_at")}";

    public static string Token(JsonElement t) =>
        $"{t.Str("id")} {t.Str("name")} {Strings(t.GetProperty("scopes"))} {t.Str("created_at")} {Or(t, "expires_at")}";

    public static string Image(JsonElement i) =>
        $"{i.Str("id")} {Or(i, "slug")} {i.Str("name")} {i.Str("distribution")} {i.Str("type")} public={i.GetProperty("public").GetBoolean()} " +
        $"regions={Strings(i.GetProperty("regions"))} min={i.GetProperty("min_disk_size")} size={i.GetProperty("size_gigabytes")} " +
        $"'{i.Str("description")}' {i.Str("status")} {i.Str("created_at")} vm={Or(i, "vm_id")} tags={Strings(i.GetProperty("tags"))}";

    public static string Snapshot(JsonElement s) =>
        $"{s.Str("id")} {s.Str("name")} {s.Str("resource_type")}:{s.Str("resource_id")} regions={Strings(s.GetProperty("regions"))} " +
        $"min={s.GetProperty("min_disk_size")} size={s.GetProperty("size_gigabytes")} {s.Str("status")} {s.Str("created_at")} tags={Strings(s.GetProperty("tags"))}";

    public static string Tag(JsonElement t) =>
        $"{t.Str("name")} count={t.GetProperty("resources").GetProperty("count")} vms={t.GetProperty("resources").GetProperty("vms").GetProperty("count")}";

    public static string Usage(JsonElement account) => account.GetProperty("usage") is var u
        ? $"vms={u.GetProperty("vms")} vcpus={u.GetProperty("vcpus")} memory={u.GetProperty("memory")} disk={u.GetProperty("disk")}"
        : "";

    public static string Domain(JsonElement d) => $"{d.Str("name")} ttl={d.GetProperty("ttl")} tags={Strings(d.GetProperty("tags"))}\n{d.Str("zone_file")}";

    public static string Record(JsonElement r) =>
        $"{r.Str("id")} {r.Str("type")} {r.Str("name")} '{r.Str("data")}' priority={Or(r, "priority")} port={Or(r, "port")} ttl={r.GetProperty("ttl")} " +
        $"weight={Or(r, "weight")} flags={Or(r, "flags")} tag={Or(r, "tag")}";
}

/// <summary>
/// A data folder as a server of schema level <c>level</c> left it. Its rows are written with the SQL of the first
/// schema (and of level 3 for domains, which came then), as the servers of that time wrote them, then the store is
/// taken to its level by the released steps (never edited since), as each start of those servers did. The simulated
/// driver kept its VMs in files then (DATA/simulated/ID.json). Passwords and tokens are hashed as the first server did.
/// </summary>
sealed class OldDataFolder(int level)
{
    public const int DomainsLevel = 3;
    public const string AdminPassword = "old-admin-password", AlicePassword = "alice's old password";
    public static readonly string AdminToken = "cf_" + new string('a', 64), AliceToken = "cf_" + new string('b', 64);
    public static readonly string Admin = Id("admin"), Alice = Id("alice"), Web = Id("web-1"), Db = Id("db-1"), Broken = Id("broken-1"),
        Ops = Id("ops-1"), Snapshot = Id("web-1-snapshot");
    public static readonly string Tiny = ImageId("tiny"), Debian = ImageId("debian-12"), Ubuntu = ImageId("ubuntu-24-04");
    static readonly string AdminTokenId = Id("admin-token"), AliceTokenId = Id("alice-token");
    const string Started = "2026-11-29T02:30:00.000000Z";

    /// <summary>An id as the server made them (32 lowercase hex), fixed so expectations can name it.</summary>
    static string Id(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("upgrade:" + name)))[..32];

    /// <summary>Catalog images' ids, derived from their slugs then as now.</summary>
    static string ImageId(string slug) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("image:" + slug)))[..32];

    public void Write(string dataDir)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "cloudsfor.db"), Pooling = false }.ToString();
        using (var c = new SqliteConnection(connection))
        {
            c.Open();
            c.Execute("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;");
            MigrateTo(c, 1);
            WriteFirstSchemaRows(c);
            if (level >= DomainsLevel)
            {
                MigrateTo(c, DomainsLevel);
                WriteDomains(c);
            }
            MigrateTo(c, level);
        }
        var simulated = Directory.CreateDirectory(Path.Combine(dataDir, "simulated")).FullName;
        foreach (var (id, power, memory, vcpus, disk, image, snapshots) in new[]
                 { (Web, 1, 512, 1, 10, Tiny, 1), (Db, 2, 2048, 2, 50, Debian, 0), (Ops, 1, 1024, 1, 25, Ubuntu, 0) })
            File.WriteAllText(Path.Combine(simulated, id + ".json"), JsonSerializer.Serialize(new
            {
                Id = id, Power = power, Memory = memory, Vcpus = vcpus, Disk = disk, ImageId = image, Snapshots = snapshots,
            }));
    }

    /// <summary>The released steps up to <paramref name="target"/>, each with its level, as Migrations.Apply did then.</summary>
    static void MigrateTo(SqliteConnection c, int target)
    {
        for (var step = (int)c.ExecuteScalar<long>("PRAGMA user_version"); step < target; step++)
        {
            using var t = c.BeginTransaction();
            c.Execute(Migrations.Steps[step], transaction: t);
            c.Execute($"PRAGMA user_version = {step + 1}", transaction: t);
            t.Commit();
        }
    }

    /// <summary>PBKDF2-SHA256 as the first server stored it: scheme$iterations$salt$hash.</summary>
    static string PasswordHash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256$100000${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>A token secret as the first server stored it: plain SHA-256, before the server key.</summary>
    static string TokenHash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    const string NoParams = """{"name":null,"size_slug":null,"disk":false,"image_id":null,"snapshot_id":null}""";

    void WriteFirstSchemaRows(SqliteConnection c)
    {
        c.Execute("""
            INSERT INTO images (id, account_id, slug, name, distribution, type, description, min_disk_size, size_gigabytes, region_slug, vm_id, status, created_at)
            VALUES (@Tiny, NULL, 'tiny', 'Tiny Linux', 'CloudsFor', 'distribution', 'Busybox guest for tests and demos', 1, 0.05, NULL, NULL, 'available', @Started),
                   (@Debian, NULL, 'debian-12', 'Debian 12 x64', 'Debian', 'distribution', 'Debian 12 (bookworm) cloud image', 5, 0.4, NULL, NULL, 'available', @Started),
                   (@Ubuntu, NULL, 'ubuntu-24-04', 'Ubuntu 24.04 x64', 'Ubuntu', 'distribution', 'Ubuntu 24.04 LTS cloud image', 10, 0.6, NULL, NULL, 'available', @Started);
            INSERT INTO users (id, username, email, password_hash, is_admin, vm_limit, created_at)
            VALUES (@Admin, 'admin', 'admin@localhost', @AdminHash, 1, 10000, @Started),
                   (@Alice, 'alice', 'alice@example.com', @AliceHash, 0, 25, '2026-11-29T02:31:10.250000Z');
            INSERT INTO tokens (id, user_id, name, scopes, secret_hash, created_at, expires_at)
            VALUES (@AdminTokenId, @Admin, 'ops', 'read,write,admin', @AdminTokenHash, '2026-11-29T02:32:00.000000Z', '2027-11-29T02:32:00.000000Z'),
                   (@AliceTokenId, @Alice, 'ci', 'read,write', @AliceTokenHash, '2026-11-29T02:33:00.000000Z', NULL);
            INSERT INTO vms (id, account_id, name, status, locked, size_slug, memory, vcpus, disk, region_slug, image_id, ip_host, user_data, ssh_keys, created_at, deleted_at)
            VALUES (@Web, @Alice, 'web-1', 'active', 0, 's-1vcpu-512mb', 512, 1, 10, 'fra1', @Tiny, 2, '', '[]', '2026-11-29T02:40:00.100000Z', NULL),
                   (@Db, @Alice, 'db-1', 'off', 0, 's-2vcpu-2gb', 2048, 2, 50, 'fra1', @Debian, 3, '#cloud-config', '[]', '2026-11-29T02:41:00.200000Z', NULL),
                   (@Broken, @Alice, 'broken-1', 'errored', 0, 's-1vcpu-512mb', 512, 1, 10, 'fra1', @Tiny, 4, '', '[]', '2026-11-29T02:42:00.300000Z', NULL),
                   (@Ops, @Admin, 'ops-1', 'active', 0, 's-1vcpu-1gb', 1024, 1, 25, 'nyc1', @Ubuntu, 2, '', '[]', '2026-11-29T02:43:00.400000Z', NULL);
            INSERT INTO vm_tags (vm_id, tag) VALUES (@Web, 'web'), (@Web, 'prod'), (@Db, 'db');
            INSERT INTO images (id, account_id, slug, name, distribution, type, description, min_disk_size, size_gigabytes, region_slug, vm_id, status, created_at)
            VALUES (@Snapshot, @Alice, NULL, 'web-1-before', 'Snapshot', 'snapshot', 'Snapshot of VM web-1', 10, 10, 'fra1', @Web, 'available', '2026-11-29T02:55:01.000000Z');
            """,
            new
            {
                Tiny, Debian, Ubuntu, Started, Admin, Alice, Web, Db, Broken, Ops, Snapshot, AdminTokenId, AliceTokenId,
                AdminHash = PasswordHash(AdminPassword), AliceHash = PasswordHash(AlicePassword),
                AdminTokenHash = TokenHash(AdminToken), AliceTokenHash = TokenHash(AliceToken),
            });
        foreach (var a in OldActions)
            c.Execute("""
                INSERT INTO actions (id, account_id, resource_id, resource_type, type, status, params, region_slug, error, attempts, started_at, completed_at)
                VALUES (@Id, @Account, @Vm, 'vm', @Type, @Status, @Params, @Region, @Error, 0, @StartedAt, @CompletedAt)
                """, a);
    }

    sealed record OldAction(string Id, string Account, string Vm, string Type, string Status, string Params, string Region, string? Error,
        string StartedAt, string CompletedAt);

    static readonly OldAction[] OldActions =
    [
        new(Id("a-web-create"), Alice, Web, "create", "completed", NoParams, "fra1", null, "2026-11-29T02:40:00.100000Z", "2026-11-29T02:40:00.400000Z"),
        new(Id("a-db-create"), Alice, Db, "create", "completed", NoParams, "fra1", null, "2026-11-29T02:41:00.200000Z", "2026-11-29T02:41:00.500000Z"),
        new(Id("a-broken-create"), Alice, Broken, "create", "errored", NoParams, "fra1", "Simulated failure of create (fault injection is configured).",
            "2026-11-29T02:42:00.300000Z", "2026-11-29T02:42:00.600000Z"),
        new(Id("a-ops-create"), Admin, Ops, "create", "completed", NoParams, "nyc1", null, "2026-11-29T02:43:00.400000Z", "2026-11-29T02:43:00.700000Z"),
        new(Id("a-db-off"), Alice, Db, "power_off", "completed", NoParams, "fra1", null, "2026-11-29T02:50:00.000000Z", "2026-11-29T02:50:00.300000Z"),
        new(Id("a-web-snapshot"), Alice, Web, "snapshot", "completed",
            $$"""{"name":"web-1-before","size_slug":null,"disk":false,"image_id":null,"snapshot_id":"{{Snapshot}}"}""", "fra1", null,
            "2026-11-29T02:55:00.000000Z", "2026-11-29T02:55:01.000000Z"),
    ];

    /// <summary>A zone made with an address for its apex (SOA, NS, A a tick apart, as then), then given an MX and a TXT record.</summary>
    static void WriteDomains(SqliteConnection c) => c.Execute("""
        INSERT INTO domains (name, account_id, ttl, serial, created_at) VALUES ('example.com', @Alice, 1800, 1764386002, '2026-11-29T03:10:00.000000Z');
        INSERT INTO domain_records (id, domain_name, account_id, type, name, data, priority, port, ttl, weight, flags, tag, created_at)
        VALUES (@Soa, 'example.com', @Alice, 'SOA', '@', 'ns1.cloudsfor.internal hostmaster.example.com 0 10800 3600 604800 1800', NULL, NULL, 1800, NULL, NULL, NULL, '2026-11-29T03:10:00.000000Z'),
               (@Ns, 'example.com', @Alice, 'NS', '@', 'ns1.cloudsfor.internal', NULL, NULL, 1800, NULL, NULL, NULL, '2026-11-29T03:10:00.000001Z'),
               (@A, 'example.com', @Alice, 'A', '@', '203.0.113.10', NULL, NULL, 1800, NULL, NULL, NULL, '2026-11-29T03:10:00.000002Z'),
               (@Mx, 'example.com', @Alice, 'MX', '@', 'mail.example.com', 10, NULL, 3600, NULL, NULL, NULL, '2026-11-29T03:12:00.000000Z'),
               (@Txt, 'example.com', @Alice, 'TXT', 'www', 'v=spf1 -all', NULL, NULL, 3600, NULL, NULL, NULL, '2026-11-29T03:13:00.000000Z');
        """, new { Alice, Soa = Id("r-soa"), Ns = Id("r-ns"), A = Id("r-a"), Mx = Id("r-mx"), Txt = Id("r-txt") });

    // What today's API shows of all that, in Render's lines.

    public List<string> Users =>
    [
        $"{Admin} admin admin@localhost active admin=True limits=10000/100/16384 2026-11-29T02:30:00Z",
        $"{Alice} alice alice@example.com active admin=False limits=25/100/16384 2026-11-29T02:31:10Z",
    ];

    public List<string> TokensOf(string user) => user == Admin
        ? [$"{AdminTokenId} ops read,write,admin 2026-11-29T02:32:00Z 2027-11-29T02:32:00Z"]
        : [$"{AliceTokenId} ci read,write 2026-11-29T02:33:00Z -"];

    public List<string> VmsOf(string user) => user == Admin
        ? [$"{Ops} ops-1 active locked=False 1024/1/25 2026-11-29T02:43:00Z image={Ubuntu} size=s-1vcpu-1gb region=nyc1 ip=10.17.0.2 tags= snapshots= volumes= forwards=0"]
        :
        [
            $"{Web} web-1 active locked=False 512/1/10 2026-11-29T02:40:00Z image={Tiny} size=s-1vcpu-512mb region=fra1 ip=10.16.0.2 tags=prod,web snapshots={Snapshot} volumes= forwards=0",
            $"{Db} db-1 off locked=False 2048/2/50 2026-11-29T02:41:00Z image={Debian} size=s-2vcpu-2gb region=fra1 ip=10.16.0.3 tags=db snapshots= volumes= forwards=0",
            $"{Broken} broken-1 errored locked=False 512/1/10 2026-11-29T02:42:00Z image={Tiny} size=s-1vcpu-512mb region=fra1 ip=10.16.0.4 tags= snapshots= volumes= forwards=0",
        ];

    public List<string> ActionsOf(string user) => OldActions.Where(a => a.Account == user)
        .Select(a => $"{a.Id} {a.Type} {a.Status} vm:{a.Vm} {a.Region} {a.StartedAt[..19]}Z {a.CompletedAt[..19]}Z {a.Error ?? "-"}").ToList();

    public List<string> ImagesSeenBy(string user) =>
    [
        // Ordered by created_at, then id: the catalog's three came at the first start.
        .. new[]
        {
            $"{Tiny} tiny Tiny Linux CloudsFor distribution public=True regions=fra1,nyc1 min=1 size=0.05 'Busybox guest for tests and demos' available 2026-11-29T02:30:00Z vm=- tags=",
            $"{Debian} debian-12 Debian 12 x64 Debian distribution public=True regions=fra1,nyc1 min=5 size=0.4 'Debian 12 (bookworm) cloud image' available 2026-11-29T02:30:00Z vm=- tags=",
            $"{Ubuntu} ubuntu-24-04 Ubuntu 24.04 x64 Ubuntu distribution public=True regions=fra1,nyc1 min=10 size=0.6 'Ubuntu 24.04 LTS cloud image' available 2026-11-29T02:30:00Z vm=- tags=",
        }.OrderBy(line => line, StringComparer.Ordinal),
        $"{Snapshot} - web-1-before Snapshot snapshot public=False regions=fra1 min=10 size=10 'Snapshot of VM web-1' available 2026-11-29T02:55:01Z vm={Web} tags=",
    ];

    public List<string> SnapshotsOf(string user) =>
        [$"{Snapshot} web-1-before vm:{Web} regions=fra1 min=10 size=10 available 2026-11-29T02:55:01Z tags="];

    /// <summary>The tags the VMs carried became the account's tags, dated by the first VM carrying each.</summary>
    public static readonly List<string> AliceTags = ["prod count=1 vms=1", "web count=1 vms=1", "db count=1 vms=1"];

    public List<string> Domains => level < DomainsLevel
        ? []
        :
        [
            "example.com ttl=1800 tags=\n$ORIGIN example.com.\n$TTL 1800\n" +
            "example.com.\t1800\tIN\tSOA\tns1.cloudsfor.internal. hostmaster.example.com. 1764386002 10800 3600 604800 1800\n" +
            "example.com.\t1800\tIN\tNS\tns1.cloudsfor.internal.\n" +
            "example.com.\t1800\tIN\tA\t203.0.113.10\n" +
            "example.com.\t3600\tIN\tMX\t10 mail.example.com.\n" +
            "www.example.com.\t3600\tIN\tTXT\t\"v=spf1 -all\"\n",
        ];

    public static readonly List<string> Records =
    [
        $"{Id("r-soa")} SOA @ 'ns1.cloudsfor.internal hostmaster.example.com 1764386002 10800 3600 604800 1800' priority=- port=- ttl=1800 weight=- flags=- tag=-",
        $"{Id("r-ns")} NS @ 'ns1.cloudsfor.internal' priority=- port=- ttl=1800 weight=- flags=- tag=-",
        $"{Id("r-a")} A @ '203.0.113.10' priority=- port=- ttl=1800 weight=- flags=- tag=-",
        $"{Id("r-mx")} MX @ 'mail.example.com' priority=10 port=- ttl=3600 weight=- flags=- tag=-",
        $"{Id("r-txt")} TXT www 'v=spf1 -all' priority=- port=- ttl=3600 weight=- flags=- tag=-",
    ];
}
