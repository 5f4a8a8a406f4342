using System.Data.Common;
using CloudsFor.Api;
using CloudsFor.Store;

namespace CloudsFor.Work;

/// <summary>Tagging with a name the account has no tag of yet makes the tag, as POST /tags would (DigitalOcean does the same).</summary>
public static class TagWrites
{
    /// <summary>Makes the missing tags among <paramref name="names"/>, each with its tag.created event, after what they tag is written.</summary>
    public static async Task Ensure(DbConnection c, DbTransaction t, string accountId, IEnumerable<string> names, string now)
    {
        foreach (var name in names.Distinct())
            if (await TagsSql.Insert(c, t, accountId, name, now))
                await Created(c, t, accountId, name, now);
    }

    public static async Task Created(DbConnection c, DbTransaction t, string accountId, string name, string now) =>
        await Events.Record(c, t, accountId, "tag.created", "tag", name, TagView.Of(name, await TagsSql.Counts(c, accountId, [name], t)), now);
}
