using System.Text.Json;
using CloudsFor.Cli.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Cli.Tests;

/// <summary>`cloudsfor events`: the account's changes, one line each, as a table on a pipe or JSON Lines for jq.</summary>
public sealed class EventsTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_vms_create_power_off_and_delete_come_out_in_order_as_lines_and_as_json_lines()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();
        await home.Ok("vm", "create", "ev-1", "--size", "s-1vcpu-512mb", "--image", "tiny", "--wait");
        var id = (await home.Ok("vm", "get", "ev-1", "--format", "ID", "--no-header")).Stdout.Trim();
        await home.Ok("vm", "power-off", "ev-1", "--wait");
        await home.Ok("vm", "delete", "ev-1", "--wait");

        // From the first event the server keeps, only this VM's: the stream replays them, then would go on live.
        var lines = await home.Ok("events", "--since", "0", "--resource-id", id, "--max-events", "5", "--format", "Type,ResourceID,Status,Name");

        Assert.Equal(
        [
            "Type\tResourceID\tStatus\tName",
            $"vm.created\t{id}\tnew\tev-1",
            $"vm.status_changed\t{id}\tactive\tev-1",
            $"vm.updated\t{id}\tactive\tev-1",
            $"vm.status_changed\t{id}\toff\tev-1",
            $"vm.deleted\t{id}\tdeleted\t",
        ], lines.Lines);

        var json = await home.Ok("events", "--since", "0", "--resource-type", "action", "--max-events", "2", "-o", "json");
        var events = json.Lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["action.started", "action.completed"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal(["id", "type", "resource_type", "resource_id", "occurred_at", "resource"], e.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("create", events[0].GetProperty("resource").GetProperty("type").GetString());
        Assert.True(events[1].GetProperty("id").GetInt64() > events[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_resume_point_the_server_no_longer_keeps_is_a_resync_line_and_a_bad_type_is_the_servers_422()
    {
        using var home = new CliHome(shared.Server);
        await home.Login();

        var resync = await home.Ok("events", "--since", "999999999", "--max-events", "1", "--format", "Type", "--no-header");
        var refused = await home.Run("events", "--resource-type", "planet");

        Assert.Equal("resync\n", resync.Stdout);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("status 422 unprocessable_entity", refused.Stderr);
        Assert.Contains("resource_type", refused.Stderr);
    }
}
