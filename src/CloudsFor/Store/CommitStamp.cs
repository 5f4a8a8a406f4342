namespace CloudsFor.Store;

/// <summary>
/// Which commit a store had reached, read without a query (see <see cref="StoreEngine.LastCommit"/>): two equal stamps
/// read at two moments mean nobody committed anything to the store in between.
/// </summary>
public readonly record struct CommitStamp(long Counter, long Frames, long Checksum);
