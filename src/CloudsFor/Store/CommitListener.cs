using Npgsql;

namespace CloudsFor.Store;

/// <summary>
/// On PostgreSQL, other servers commit too: every write batch sends a notification (delivered at its commit, see
/// <see cref="PostgresEngine.BeginWrite"/>), and this listener tells <see cref="Db.Committed"/> about each, as the
/// server's own writer does after its commits, so the event streams of every server wake for every server's
/// changes. When the listening connection drops it reconnects, and tells once more: what was missed is read then.
/// </summary>
public sealed class CommitListener(Db db, ILogger<CommitListener> log) : BackgroundService
{
    public const string Channel = "cloudsfor_commits";
    static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)db.Open();
                connection.Notification += (_, _) => db.Committed?.Invoke();
                await using (var listen = new NpgsqlCommand("LISTEN " + Channel, connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                db.Committed?.Invoke();
                while (true)
                    await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("listening for other servers' commits failed ({Reason}); trying again in {Seconds} s", e.Message, Retry.TotalSeconds);
                await Task.Delay(Retry, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
