using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Snapshots;

/// <summary>Another account's snapshots and volumes are a 404 on every snapshot route, and never listed.</summary>
public sealed class SnapshotTenancyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Another_accounts_snapshots_are_not_found()
    {
        var owner = await TestAccounts.Create(Server);
        var volumeId = (await VolumeKit.CreateAvailable(owner.Api)).Str("id");
        var volumeSnapshot = (await SnapshotKit.CreateAvailable(owner.Api, volumeId)).Str("id");
        var vmSnapshot = await SnapshotKit.OfVm(owner.Api, (await Vms.CreateActive(owner.Api)).Str("id"));
        var other = await TestAccounts.Create(Server);

        foreach (var id in new[] { volumeSnapshot, vmSnapshot })
        {
            (await other.Api.Get($"/snapshots/{id}")).ExpectError(404, "not_found");
            (await other.Api.Delete($"/snapshots/{id}")).ExpectError(404, "not_found");
        }
        (await other.Api.Get($"/volumes/{volumeId}/snapshots")).ExpectError(404, "not_found");
        (await other.Api.Post($"/volumes/{volumeId}/snapshots", new { name = "mine-now" })).ExpectError(404, "not_found");
        Assert.Empty((await other.Api.Get("/snapshots")).Expect(200)["snapshots"].EnumerateArray());
        Assert.Equal(2, (await owner.Api.Get("/snapshots")).Expect(200)["snapshots"].GetArrayLength());
    }
}
