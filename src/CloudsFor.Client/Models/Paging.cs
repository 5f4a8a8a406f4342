namespace CloudsFor.Client.Models;

/// <summary>One page of a collection: its items, the collection's total and the links to the other pages.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, PageLinks Links);

/// <summary>Absolute URLs of the other pages; only those that exist are set.</summary>
public sealed record PageLinks(Uri? First, Uri? Prev, Uri? Next, Uri? Last)
{
    public static readonly PageLinks None = new(null, null, null, null);
}
