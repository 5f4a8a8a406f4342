using System.Data.Common;
using CloudsFor.Model;
using CloudsFor.Store;
using CloudsFor.Work;

namespace CloudsFor.Api;

/// <summary>A resource of the caller's account that a tag may be put on, as read inside the write that tags it.</summary>
public sealed record TaggableResource(string Type, string Id, VmRow? Vm = null, ImageRow? Image = null, DomainRow? Domain = null, VolumeRow? Volume = null);

/// <summary>The one place that knows, per resource type, which resources of an account can be tagged and what their update event is.</summary>
public static class TaggableResources
{
    public static async Task<TaggableResource?> Find(DbConnection c, DbTransaction t, string accountId, string type, string id) => type switch
    {
        "vm" => await VmsSql.FindToChange(c, t, accountId, id) is { } vm ? new(type, vm.Id, Vm: vm) : null,
        // Like DigitalOcean: only images the account owns (snapshots, custom images), not the operator's public ones.
        "image" => await ImagesSql.Find(c, accountId, id, t) is { } image && image.AccountId == accountId ? new(type, image.Id, Image: image) : null,
        "domain" => DomainNames.Domain(id, out _) is { } name && await DomainsSql.Find(c, accountId, name, t) is { } domain
            ? new(type, domain.Name, Domain: domain) : null,
        "volume" => await VolumesSql.Find(c, accountId, id, t) is { } volume ? new(type, volume.Id, Volume: volume) : null,
        _ => null,
    };

    /// <summary>Why an item of a request names nothing that can be tagged (unknown, or another account's: the same answer).</summary>
    public static string Missing(string type, string id) => type switch
    {
        "image" => $"'{id}' is not one of your images (only your own snapshots and custom images carry tags)",
        _ => $"'{id}' is not one of your {Tags.ResourceTypes[type]}",
    };

    /// <summary>The resource's update event, as it is shown after its tags changed (read again: the row found before has the old tags).</summary>
    public static async Task Updated(DbConnection c, DbTransaction t, TaggableResource r, Catalog catalog, string now)
    {
        switch (r)
        {
            case { Vm: { } vm }:
                await Events.VmChanged(c, t, vm.Id, vm.Status, catalog, now);
                break;
            case { Image: { } image }:
                var tagged = await ImagesSql.Find(c, image.AccountId!, image.Id, t) ?? image;
                await Events.Record(c, t, image.AccountId!, "image.updated", "image", image.Id, ImageView.Of(tagged, catalog), now);
                break;
            case { Volume: { } volume }:
                await Events.Volume(c, t, "volume.updated", await VolumesSql.FindAny(c, volume.Id, t) ?? volume, catalog, now);
                break;
            case { Domain: { } domain }:
                var view = DomainView.Of(await DomainsSql.Find(c, domain.AccountId, domain.Name, t) ?? domain, await DomainRecordsSql.All(c, domain.AccountId, domain.Name, t));
                await Events.Record(c, t, domain.AccountId, "domain.updated", "domain", domain.Name, view, now);
                break;
        }
    }
}
