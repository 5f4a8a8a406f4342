using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Snapshots;

/// <summary>
/// A volume snapshot accepted before a kill -9 is made after the restart; while it is being made, its volume and the snapshot
/// itself refuse other changes. Its own server with slow simulated operations (2-3 s), so the action is in flight.
/// </summary>
public sealed class SnapshotRestartTests : SlowServerTests
{
    [Fact]
    public async Task A_snapshot_cut_off_by_a_kill_is_made_after_the_restart()
    {
        var user = await TestAccounts.Create(server);
        var volumeId = (await VolumeKit.CreateAvailable(user.Api)).Str("id");
        var (snapshot, actionId) = await SnapshotKit.Create(user.Api, volumeId);
        var id = snapshot.Str("id");
        // Within the 2-3 s the driver takes: the volume is locked and the snapshot still creating.
        (await user.Api.Post($"/volumes/{volumeId}/snapshots", new { name = "second" })).ExpectError(409, "conflict");
        (await user.Api.Delete($"/snapshots/{id}")).ExpectError(409, "conflict");
        server.Kill();
        await server.RestartAsync();

        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, actionId)).Status());
        Assert.Equal("available", (await SnapshotKit.Get(user.Api, id)).Status());
        Assert.True(SnapshotKit.VolumeSnapshotStored(server, id));
    }
}
