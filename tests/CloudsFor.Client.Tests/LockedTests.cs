using System.Net;
using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

/// <summary>A server whose simulated operations take 1.5 s, so a VM stays locked by its create long enough to be asked again.</summary>
public sealed class SlowServer() : ServerFixture("--sim-delay-ms", "1500", "--rate-per-minute", "1000000", "--rate-per-hour", "100000000");

public sealed class LockedTests(SlowServer slow) : IClassFixture<SlowServer>
{
    [Fact]
    public async Task An_action_on_a_vm_still_being_created_is_retried_until_the_server_accepts_it()
    {
        var recorder = new RecordingHandler();
        var (_, client) = await Clients.NewUser(slow.Server, o =>
        {
            o.Handlers.Add(recorder);
            o.Retry.MaxRetries = 20;
        });
        using var _ = client;
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));

        var powerOff = await client.VmActions.PowerOffAsync(created.Vm.Id);

        var attempts = recorder.Exchanges.Where(e => e.Method == HttpMethod.Post && e.PathAndQuery.EndsWith("/actions")).ToList();
        Assert.Equal(HttpStatusCode.Conflict, attempts[0].Status);
        Assert.Equal(HttpStatusCode.Created, attempts[^1].Status);
        Assert.Single(attempts.Select(a => a.IdempotencyKey).Distinct());
        Assert.Equal("power_off", powerOff.Type);
        Assert.Equal(ActionStatus.Completed, (await client.Actions.WaitForActionAsync(powerOff.Id)).Status);
    }

    [Fact]
    public async Task Polls_for_an_action_send_the_etag_and_an_unchanged_action_is_a_304()
    {
        // A token without the read scope cannot open the event stream, so the wait polls (see EventTests for the stream).
        var (_, owner) = await Clients.NewUser(slow.Server);
        using var _ = owner;
        var token = await owner.Tokens.CreateAsync(new CreateTokenRequest("no-read", ["write"]));
        var recorder = new RecordingHandler();
        using var client = Clients.For(slow.Server, CloudsForCredential.Token(token.Secret!), o => o.Handlers.Add(recorder));
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));

        await client.Actions.WaitForActionAsync(created.ActionId);

        var polls = recorder.Exchanges.Where(e => e.PathAndQuery.EndsWith("/actions/" + created.ActionId)).ToList();
        Assert.Null(polls[0].IfNoneMatch);
        Assert.Contains(polls, p => p.Status == HttpStatusCode.NotModified);
        Assert.All(polls.Skip(1), p => Assert.NotNull(p.IfNoneMatch));
        Assert.Equal(HttpStatusCode.OK, polls[^1].Status);
    }
}
