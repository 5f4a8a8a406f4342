using System.Threading.Channels;

namespace CloudsFor.Work;

/// <summary>
/// Ids of the VMs that have new actions to run. Only a hint for speed: the action rows are the truth; the
/// worker reads a VM's unfinished actions from the store, and every VM with any at start.
/// </summary>
public sealed class ActionQueue
{
    readonly Channel<string> channel = Channel.CreateUnbounded<string>();

    public void Enqueue(IEnumerable<string> vmIds)
    {
        foreach (var id in vmIds)
            channel.Writer.TryWrite(id);
    }

    public IAsyncEnumerable<string> ReadAll(CancellationToken ct) => channel.Reader.ReadAllAsync(ct);
}
