using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Faults;

/// <summary>
/// The event stream under server settings of its own: heartbeats, the retention window, the per-account cap, a kill -9
/// right after a change was accepted, and a graceful stop with streams open. Each test starts a server of its own.
/// </summary>
public sealed class EventStreamServerTests
{
    [Fact]
    public async Task An_idle_stream_gets_heartbeat_comments()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0", "--events-heartbeat-seconds", "1");
        var user = await TestAccounts.Create(server);
        using var stream = await EventStream.Open(user.Api);
        var hint = await stream.Next();
        Assert.Equal("2000", hint?.Retry);
        var next = await stream.Next();
        Assert.Equal("keep-alive", next?.Comment);
    }

    [Fact]
    public async Task A_Last_Event_ID_older_than_the_retention_window_gets_a_resync()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0", "--events-retention-seconds", "1");
        var user = await TestAccounts.Create(server);
        long first;
        using (var stream = await EventStream.Open(user.Api))
        {
            await TestAccounts.CreateToken(user.Api, ["read"]);
            first = (await stream.NextEvent()).EventId;
            // Two more, so the one right after `first` is not the newest, which is never pruned.
            await TestAccounts.CreateToken(user.Api, ["read"]);
            await TestAccounts.CreateToken(user.Api, ["read"]);
            await stream.NextEvent();
            await stream.NextEvent();
        }

        var answer = await Poll.Until(async () =>
        {
            using var resumed = await EventStream.Open(user.Api, lastEventId: first);
            return await resumed.NextEvent();
        }, e => e.Event == "resync", "the events after the first being pruned");
        Assert.Equal(first, answer.Json.GetProperty("last_event_id").GetInt64());
    }

    [Fact]
    public async Task An_account_may_hold_as_many_streams_open_as_the_operator_allows()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0", "--events-max-streams", "2");
        var user = await TestAccounts.Create(server);
        var other = await TestAccounts.Create(server);
        using var one = await EventStream.Open(user.Api);
        var two = await EventStream.Open(user.Api);

        var refused = (await user.Api.Get("/events")).ExpectError(429, "too_many_requests");
        Assert.Equal("10", refused.Header("Retry-After"));
        using (await EventStream.Open(other.Api))
        {
            // Another account's streams are counted apart.
        }
        two.Dispose();
        await Poll.Until(() => EventStream.Status(user.Api), status => status == 200, "a stream being allowed again after one closed");
    }

    [Fact]
    public async Task An_accepted_change_keeps_its_events_through_a_kill()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "3000-4000");
        var user = await TestAccounts.Create(server);
        var vm = await Vms.Create(user.Api);
        server.Kill();
        await server.RestartAsync();

        using var stream = await EventStream.Open(user.Api, lastEventId: 0);
        var events = await stream.Until(e => e.Event == "action.completed");
        Assert.Equal(
            [("vm.created", vm.Id), ("action.started", vm.CreateActionId), ("vm.status_changed", vm.Id), ("action.completed", vm.CreateActionId)],
            events.Select(e => (e.Event, e.Json.Str("resource_id"))));
    }

    [Fact]
    public async Task A_graceful_stop_ends_open_streams_cleanly_and_exits()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0");
        var user = await TestAccounts.Create(server);
        var streams = new List<EventStream>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                streams.Add(await EventStream.Open(user.Api));
                Assert.NotNull((await streams[^1].Next())?.Retry);
            }

            Assert.Equal(0, await server.StopAsync());
            // A stream cut off by the server's shutdown timeout would end in an IOException here, not in a clean end.
            foreach (var stream in streams)
                while (await stream.Next() is not null)
                {
                }
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
        }
    }
}
