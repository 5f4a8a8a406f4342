using CloudsFor.Http;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

public sealed record SshKeyView(string Id, string Name, string PublicKey, string Fingerprint, string FingerprintSha256, string? CreatedAt)
{
    public static SshKeyView Of(SshKeyRow k) => new(k.Id, k.Name, k.PublicKey, k.Fingerprint, k.FingerprintSha256, Clock.Shown(k.CreatedAt));
}

/// <summary>
/// SSH keys of the caller's account, to be put into VMs by id or fingerprint. A key is found by its id, its MD5 fingerprint
/// (as DigitalOcean shows it) or its SHA-256 fingerprint (as OpenSSH prints it).
/// </summary>
public static class SshKeysApi
{
    static readonly string[] ReadOnly = ["id", "fingerprint", "fingerprint_sha256", "created_at"];

    public static void MapSshKeysApi(this IEndpointRouteBuilder api)
    {
        api.MapRead("/account/keys", List);
        api.MapPost("/account/keys", Create);
        api.MapRead("/account/keys/{key}", Get);
        api.MapPut("/account/keys/{key}", Update);
        api.MapDelete("/account/keys/{key}", Delete);
    }

    static async Task<IResult> List(HttpRequest request, Caller caller, Db db)
    {
        var page = PageRequest.From(request);
        var (total, rows) = await db.Read(async c =>
            (await SshKeysSql.Count(c, caller.AccountId), await SshKeysSql.Page(c, caller.AccountId, page.Offset, page.PerPage)));
        return Reply.Page(request, "ssh_keys", rows.Select(SshKeyView.Of).ToList(), total, page);
    }

    static async Task<SshKeyRow> Find(Db db, Caller caller, string key) =>
        (SshKeys.Reference(key) is { } by ? await db.Read(c => SshKeysSql.Find(c, caller.AccountId, by)) : null) ?? throw ApiError.NotFound();

    static async Task<IResult> Get(string key, Caller caller, Db db) => Reply.One("ssh_key", SshKeyView.Of(await Find(db, caller, key)));

    static async Task<IResult> Create(JsonBody body, Caller caller, Db db, Ids ids, TimeProvider time)
    {
        body.Allow(["name", "public_key"], ReadOnly);
        var name = body.String("name", required: true);
        var text = body.String("public_key", required: true, maxLength: 16 * 1024);
        var problem = "";
        var parsed = text is null ? null : SshKeys.Parse(text, out problem);
        if (text is not null && parsed is null)
            body.Error("public_key", $"is not an OpenSSH public key ({SshKeys.Format}): {problem}");
        body.ThrowIfInvalid();

        var key = new SshKeyRow
        {
            Id = ids.New(), AccountId = caller.AccountId, Name = name!, PublicKey = parsed!.Text,
            Fingerprint = parsed.Md5Fingerprint, FingerprintSha256 = parsed.Sha256Fingerprint, CreatedAt = Clock.Stored(time.GetUtcNow()),
        };
        var view = SshKeyView.Of(key);
        await db.Write(async (c, t) =>
        {
            if (await SshKeysSql.Find(c, caller.AccountId, ("fingerprint_sha256", key.FingerprintSha256), t) is { } same)
                throw ApiError.Invalid("public_key", $"this key is already in your account as '{same.Name}' ({same.Id})");
            await SshKeysSql.Insert(c, t, key);
            await Events.Record(c, t, caller.AccountId, "ssh_key.created", "ssh_key", key.Id, view, key.CreatedAt);
        });
        return Reply.Created("ssh_key", view, $"/api/v1/account/keys/{key.Id}");
    }

    static async Task<IResult> Update(string key, JsonBody body, HttpContext ctx, Caller caller, Db db, TimeProvider time)
    {
        body.Allow(["name"], [.. ReadOnly, "public_key"]);
        var name = body.String("name", required: true);
        body.ThrowIfInvalid();
        var row = await Find(db, caller, key);
        Reply.CheckIfMatch(ctx, "ssh_key", SshKeyView.Of(row));
        row.Name = name!;
        await db.Write(async (c, t) =>
        {
            await SshKeysSql.Rename(c, t, caller.AccountId, row.Id, row.Name);
            await Events.Record(c, t, caller.AccountId, "ssh_key.updated", "ssh_key", row.Id, SshKeyView.Of(row), Clock.Stored(time.GetUtcNow()));
        });
        return Reply.One("ssh_key", SshKeyView.Of(row));
    }

    static async Task<IResult> Delete(string key, HttpContext ctx, Caller caller, Db db, TimeProvider time)
    {
        var row = await Find(db, caller, key);
        Reply.CheckIfMatch(ctx, "ssh_key", SshKeyView.Of(row));
        await db.Write(async (c, t) =>
        {
            if (await SshKeysSql.Delete(c, t, caller.AccountId, row.Id) > 0)
                await Events.Record(c, t, caller.AccountId, "ssh_key.deleted", "ssh_key", row.Id, null, Clock.Stored(time.GetUtcNow()));
        });
        return Reply.NoContent();
    }

    /// <summary>
    /// The public keys that a VM's <paramref name="field"/> names: each item a key id or fingerprint of the caller's account,
    /// or a public key itself. Errors go on <paramref name="body"/>, one per bad item.
    /// </summary>
    public static async Task<IReadOnlyList<string>> Resolve(JsonBody body, string field, IReadOnlyList<string> items, Caller caller, Db db)
    {
        var keys = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (SshKeys.Reference(item) is { } by)
            {
                if (await db.Read(c => SshKeysSql.Find(c, caller.AccountId, by)) is { } stored)
                    keys.Add(stored.PublicKey);
                else
                    body.Error(field, $"item {i + 1}, '{item}', is not one of your SSH keys; GET /account/keys lists them");
            }
            else if (SshKeys.Parse(item, out var problem) is { } key)
                keys.Add(key.Text);
            else
                body.Error(field, $"item {i + 1} is not an OpenSSH public key ({SshKeys.Format}), a key id or a fingerprint: {problem}");
        }
        return keys.Distinct().ToList();
    }
}
