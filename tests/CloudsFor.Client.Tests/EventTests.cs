using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

/// <summary>
/// The event stream through the client: typed events, a resync the caller sees, a stream that survives a server restart,
/// and waits that listen to the stream instead of asking again and again (and ask when there is no stream to listen to).
/// On the slow server (operations take 1.5 s), so a wait that polled would ask many times while an action runs.
/// </summary>
public sealed class EventTests(SlowServer slow) : IClassFixture<SlowServer>
{
    static CancellationToken Deadline() => new CancellationTokenSource(Poll.DefaultDeadline).Token;

    static int Count(RecordingHandler recorder, string pathStart) =>
        recorder.Exchanges.Count(e => e.Method == HttpMethod.Get && e.PathAndQuery.StartsWith("/api/v1/" + pathStart, StringComparison.Ordinal));

    [Fact]
    public async Task StreamAsync_yields_typed_events_of_a_vms_creation()
    {
        var (_, client) = await Clients.NewUser(slow.Server);
        using var _ = client;
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));

        // From the account's first event on: a new account has only this VM's.
        var seen = new List<CloudEvent>();
        await foreach (var e in client.Events.StreamAsync(lastEventId: 0, cancellationToken: Deadline()))
        {
            seen.Add(e);
            if (e.Type == "action.completed")
                break;
        }

        Assert.Equal(["vm.created", "action.started", "vm.status_changed", "action.completed"], seen.Select(e => e.Type));
        Assert.Equal(created.Vm.Id, seen[0].ResourceId);
        Assert.Equal(VmStatus.New, seen[0].Vm!.Status);
        Assert.Equal(created.ActionId, seen[1].Action!.Id);
        Assert.Equal("create", seen[1].Action!.Type);
        Assert.Equal(VmStatus.Active, seen[2].Vm!.Status);
        Assert.Equal(ActionStatus.Completed, seen[3].Action!.Status);
        Assert.Null(seen[3].Vm);
        Assert.All(seen, e => Assert.NotNull(e.OccurredAt));
        Assert.Equal(seen.Select(e => e.Id).Order(), seen.Select(e => e.Id));
        Assert.DoesNotContain(seen, e => e.IsResync);
    }

    [Fact]
    public async Task StreamAsync_shows_a_resync_when_the_server_no_longer_has_the_events_asked_for()
    {
        var (_, client) = await Clients.NewUser(slow.Server);
        using var _ = client;
        await using var events = client.Events.StreamAsync(lastEventId: 1_000_000_000, cancellationToken: Deadline()).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        Assert.True(events.Current.IsResync);
        Assert.Equal(1_000_000_000, events.Current.LastEventId);
        Assert.False(string.IsNullOrEmpty(events.Current.Message));
    }

    [Fact]
    public async Task WaitForActionAsync_and_WaitForVmAsync_listen_to_the_stream_and_read_the_state_once()
    {
        var recorder = new RecordingHandler();
        var (_, client) = await Clients.NewUser(slow.Server, o => o.Handlers.Add(recorder));
        using var _ = client;
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));

        var action = await client.Actions.WaitForActionAsync(created.ActionId, cancellationToken: Deadline());
        await client.VmActions.PowerOffAsync(created.Vm.Id);
        var vm = await client.Vms.WaitForVmAsync(created.Vm.Id, VmStatus.Off, Deadline());

        Assert.Equal(ActionStatus.Completed, action.Status);
        Assert.Equal(VmStatus.Off, vm.Status);
        // Each operation takes 1.5 s: polling every 50 ms would have asked dozens of times.
        Assert.Equal(1, Count(recorder, $"actions/{created.ActionId}"));
        Assert.Equal(1, Count(recorder, $"vms/{created.Vm.Id}"));
        Assert.Equal(2, Count(recorder, "events?"));
    }

    [Fact]
    public async Task WaitForActionAsync_asks_again_and_again_where_it_cannot_open_the_stream()
    {
        var (_, owner) = await Clients.NewUser(slow.Server);
        using var _ = owner;
        var token = await owner.Tokens.CreateAsync(new CreateTokenRequest("no-read", ["write"]));
        var recorder = new RecordingHandler();
        using var client = Clients.For(slow.Server, CloudsForCredential.Token(token.Secret!), o => o.Handlers.Add(recorder));
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));

        var action = await client.Actions.WaitForActionAsync(created.ActionId, cancellationToken: Deadline());

        Assert.Equal(ActionStatus.Completed, action.Status);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, Assert.Single(recorder.Exchanges, e => e.PathAndQuery.StartsWith("/api/v1/events", StringComparison.Ordinal)).Status);
        Assert.True(Count(recorder, $"actions/{created.ActionId}") > 1, "the wait did not poll");
    }

    [Fact]
    public async Task StreamAsync_resumes_after_the_server_restarts_without_missing_or_repeating_an_event()
    {
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "0");
        var (_, client) = await Clients.NewUser(server);
        using var _ = client;
        var first = await client.Tokens.CreateAsync(new CreateTokenRequest("first", ["read"]));
        await using var events = client.Events.StreamAsync(lastEventId: 0, cancellationToken: Deadline()).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(first.Id, events.Current.ResourceId);

        await server.RestartAsync();
        var second = await client.Tokens.CreateAsync(new CreateTokenRequest("second", ["read"]));
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("token.created", second.Id), (events.Current.Type, events.Current.ResourceId));
    }
}
