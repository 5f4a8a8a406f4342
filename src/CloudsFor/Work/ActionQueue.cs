using System.Threading.Channels;

namespace CloudsFor.Work;

/// <summary>
/// Ids of actions ready to run. Only a hint for speed: the rows are the truth, and the worker
/// re-reads unfinished ones from the store at start.
/// </summary>
public sealed class ActionQueue
{
    readonly Channel<string> channel = Channel.CreateUnbounded<string>();

    public void Enqueue(IEnumerable<string> actionIds)
    {
        foreach (var id in actionIds)
            channel.Writer.TryWrite(id);
    }

    public IAsyncEnumerable<string> ReadAll(CancellationToken ct) => channel.Reader.ReadAllAsync(ct);
}
