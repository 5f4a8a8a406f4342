using System.Text.Json.Nodes;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>
/// GET /events over the wire: a VM's life arrives as events in order, a reconnect with Last-Event-ID misses and repeats
/// nothing, an id the server does not hold gets a resync, another account sees nothing, filters pick, bad filters are
/// a 422, and the read scope is needed.
/// </summary>
public sealed class EventTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    static string Kind(SseMessage e) => $"{e.Event} {e.Json.Str("resource_type")}";

    static bool Completed(SseMessage e, string actionType) =>
        e.Event == "action.completed" && e.Json.GetProperty("resource").Str("type") == actionType;

    [Fact]
    public async Task A_create_power_off_and_delete_arrive_in_order_with_the_resources_new_state()
    {
        var user = await TestAccounts.Create(Server);
        using var stream = await EventStream.Open(user.Api);

        var vm = await Vms.Create(user.Api);
        var events = await stream.Until(e => Completed(e, "create"));
        var powerOff = (await user.Api.Post($"/vms/{vm.Id}/actions", new { type = "power_off" })).Expect(201)["action"].Str("id");
        events.AddRange(await stream.Until(e => Completed(e, "power_off")));
        (await user.Api.Delete($"/vms/{vm.Id}")).Expect(204);
        events.AddRange(await stream.Until(e => Completed(e, "destroy")));

        Assert.Equal(
        [
            "vm.created vm", "action.started action", "vm.status_changed vm", "action.completed action",
            "vm.updated vm", "action.started action", "vm.status_changed vm", "action.completed action",
            "vm.deleted vm", "action.started action", "action.completed action",
        ], events.Select(Kind));
        Assert.Equal(events.Select(e => e.EventId).Order(), events.Select(e => e.EventId));
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.All(events, e => Assert.Equal(e.EventId, e.Json.GetProperty("id").GetInt64()));
        Assert.All(events, e => Assert.Equal(e.Event, e.Json.Str("type")));
        Assert.All(events.Where(e => e.Json.Str("resource_type") == "vm"), e => Assert.Equal(vm.Id, e.Json.Str("resource_id")));

        var vmStates = events.Where(e => e.Event is "vm.created" or "vm.status_changed" or "vm.updated")
            .Select(e => (e.Json.GetProperty("resource").Status(), e.Json.GetProperty("resource").GetProperty("locked").GetBoolean()));
        Assert.Equal([("new", true), ("active", false), ("active", true), ("off", false)], vmStates);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, events[8].Json.GetProperty("resource").ValueKind);
        Assert.Equal(vm.CreateActionId, events[1].Json.Str("resource_id"));
        Assert.Equal(powerOff, events[5].Json.Str("resource_id"));
        Assert.Equal("completed", events[^1].Json.GetProperty("resource").Status());
    }

    [Fact]
    public async Task A_VMs_events_show_it_as_GET_does_with_its_tags_and_volumes()
    {
        var user = await TestAccounts.Create(Server);
        var id = (await Vms.CreateActive(user.Api, tags: ["web", "db"])).Str("id");
        var volume = await VolumeKit.CreateAvailable(user.Api);
        await VolumeKit.RunCompleted(user.Api, volume.Str("id"), new { type = "attach", vm_id = id });
        using var stream = await EventStream.Open(user.Api);

        await Vms.RunCompleted(user.Api, id, new { type = "power_off" });
        var shown = JsonNode.Parse((await Vms.Get(user.Api, id)).GetRawText())!;
        var vmEvents = (await stream.Until(e => Completed(e, "power_off")))
            .Where(e => e.Json.Str("resource_type") == "vm").Select(e => JsonNode.Parse(e.Json.GetProperty("resource").GetRawText())!).ToList();

        Assert.Equal(["web", "db"], shown["tags"]!.AsArray().Select(t => (string)t!).Order().Reverse());
        Assert.Equal([volume.Str("id")], shown["volume_ids"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(2, vmEvents.Count);
        // The last event is the VM as it is now; the first is the same VM while the action ran: still active, locked.
        Assert.True(JsonNode.DeepEquals(shown, vmEvents[1]), $"event {vmEvents[1]}\nGET {shown}");
        shown["status"] = "active";
        shown["locked"] = true;
        Assert.True(JsonNode.DeepEquals(shown, vmEvents[0]), $"event {vmEvents[0]}\nexpected {shown}");
    }

    [Fact]
    public async Task A_reconnect_with_Last_Event_ID_misses_nothing_and_repeats_nothing()
    {
        var user = await TestAccounts.Create(Server);
        using var whole = await EventStream.Open(user.Api);
        List<SseMessage> before;
        CreatedVm vm;
        using (var first = await EventStream.Open(user.Api))
        {
            vm = await Vms.Create(user.Api);
            before = [await first.NextEvent(), await first.NextEvent()];
        }
        // Everything from here on happens while no stream of the client is open.
        await Vms.WaitForAction(user.Api, vm.CreateActionId);
        await Vms.RunCompleted(user.Api, vm.Id, new { type = "power_off" });

        using var resumed = await EventStream.Open(user.Api, lastEventId: before[^1].EventId);
        var after = await resumed.Until(e => Completed(e, "power_off"));
        var all = await whole.Until(e => Completed(e, "power_off"));

        Assert.Equal(all.Select(e => e.Id), before.Concat(after).Select(e => e.Id));
        Assert.Equal(all.Select(e => e.Data), before.Concat(after).Select(e => e.Data));
    }

    [Fact]
    public async Task A_Last_Event_ID_the_server_does_not_hold_gets_one_resync_then_the_stream_goes_on_from_now()
    {
        var user = await TestAccounts.Create(Server);
        long newest;
        using (var probe = await EventStream.Open(user.Api))
        {
            await TestAccounts.CreateToken(user.Api, ["read"]);
            newest = (await probe.NextEvent()).EventId;
        }
        var asked = newest + 1_000_000;
        using var stream = await EventStream.Open(user.Api, lastEventId: asked);
        var resync = await stream.NextEvent();
        Assert.Equal("resync", resync.Event);
        Assert.Equal("resync", resync.Json.Str("type"));
        Assert.Equal(asked, resync.Json.GetProperty("last_event_id").GetInt64());
        Assert.True(resync.EventId >= newest, $"the resync's id {resync.EventId} is not the newest event (at least {newest})");

        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var next = await stream.NextEvent();
        Assert.Equal(("token.created", tokenId), (next.Event, next.Json.Str("resource_id")));
    }

    [Fact]
    public async Task Another_account_sees_nothing_of_it_live_or_replayed()
    {
        var alice = await TestAccounts.Create(Server);
        var bob = await TestAccounts.Create(Server);
        using var bobs = await EventStream.Open(bob.Api);

        var vm = await Vms.CreateActive(alice.Api);
        await Vms.RunCompleted(alice.Api, vm.Str("id"), new { type = "power_off" });
        await TestAccounts.CreateToken(alice.Api, ["read"]);
        await Domains.Create(alice.Api);
        var (bobsToken, _) = await TestAccounts.CreateToken(bob.Api, ["read"]);

        // Events come in order, so anything of Alice's that reached Bob would come before his own.
        var first = await bobs.NextEvent();
        Assert.Equal(("token.created", bobsToken), (first.Event, first.Json.Str("resource_id")));
        using var replayed = await EventStream.Open(bob.Api, lastEventId: 0);
        var replay = await replayed.NextEvent();
        Assert.Equal(("token.created", bobsToken), (replay.Event, replay.Json.Str("resource_id")));
    }

    [Fact]
    public async Task Filters_pick_resource_types_and_ids()
    {
        var user = await TestAccounts.Create(Server);
        var one = (await Vms.CreateActive(user.Api)).Str("id");
        var two = (await Vms.CreateActive(user.Api)).Str("id");
        using var onlyOne = await EventStream.Open(user.Api, $"?resource_type=vm&resource_id={one}");
        using var onlyActions = await EventStream.Open(user.Api, "?resource_type=action");
        using var both = await EventStream.Open(user.Api, $"?resource_id={one},{two}");

        await Vms.RunCompleted(user.Api, two, new { type = "power_off" });
        await Vms.RunCompleted(user.Api, one, new { type = "power_off" });

        var ofOne = await onlyOne.Until(e => e.Event == "vm.status_changed");
        Assert.Equal([("vm.updated", one), ("vm.status_changed", one)], ofOne.Select(e => (e.Event, e.Json.Str("resource_id"))));
        var actions = await onlyActions.Until(e => Completed(e, "power_off") && e.Json.GetProperty("resource").Str("resource_id") == one);
        Assert.Equal(["action.started", "action.completed", "action.started", "action.completed"], actions.Select(e => e.Event));
        var ofBoth = await both.Until(e => e.Event == "vm.status_changed" && e.Json.Str("resource_id") == one);
        Assert.Equal([two, two, one, one], ofBoth.Select(e => e.Json.Str("resource_id")));
    }

    [Fact]
    public async Task Bad_filters_are_a_422_naming_the_field_and_a_bad_Last_Event_ID_is_a_400()
    {
        var user = await TestAccounts.Create(Server);
        var unknownType = (await user.Api.Get("/events?resource_type=vm,bogus")).ExpectError(422, "unprocessable_entity");
        Assert.Equal(["resource_type"], unknownType.ErrorFields());
        Assert.Contains("'bogus'", unknownType.Message);
        (await user.Api.Get("/events?resource_id=")).ExpectError(422, "unprocessable_entity");
        var tooMany = string.Join(',', Enumerable.Range(0, 101).Select(i => $"id{i}"));
        Assert.Equal(["resource_id"], (await user.Api.Get($"/events?resource_id={tooMany}")).ExpectError(422, "unprocessable_entity").ErrorFields());
        (await user.Api.Get("/events", new Dictionary<string, string> { ["Last-Event-ID"] = "abc" })).ExpectError(400, "bad_request");
        (await user.Api.Get("/events?last_event_id=-1")).ExpectError(400, "bad_request");
    }

    [Fact]
    public async Task A_read_token_streams_and_a_token_without_read_is_refused()
    {
        var user = await TestAccounts.Create(Server);
        var (_, read) = await TestAccounts.CreateToken(user.Api, ["read"]);
        var (_, writeOnly) = await TestAccounts.CreateToken(user.Api, ["write"]);

        using var stream = await EventStream.Open(ApiClient.Bearer(Server, read));
        var (tokenId, _) = await TestAccounts.CreateToken(user.Api, ["read"]);
        Assert.Equal(tokenId, (await stream.NextEvent()).Json.Str("resource_id"));

        (await ApiClient.Bearer(Server, writeOnly).Get("/events")).ExpectError(403, "forbidden");
        (await Server.Anonymous.Get("/events")).ExpectError(401, "unauthorized");
        var head = (await user.Api.Head("/events")).Expect(200);
        Assert.Equal("", head.Text);
        Assert.StartsWith("text/event-stream", head.Header("Content-Type"));
    }
}
