using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Snapshots;

/// <summary>POST /volumes with snapshot_id: a full copy in the snapshot's region, at least its size, with its file system.</summary>
public sealed class VolumeFromSnapshotTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    async Task<(TestUser User, string SnapshotId)> Snapshot()
    {
        var user = await TestAccounts.Create(Server);
        var created = (await user.Api.Post("/volumes", new
        {
            name = VolumeKit.UniqueName(), size_gigabytes = 20, region = "nyc1", filesystem_type = "xfs", filesystem_label = "pgdata",
        })).Expect(201);
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, created["links"].GetProperty("actions")[0].Str("id"))).Status());
        var snapshot = await SnapshotKit.CreateAvailable(user.Api, created["volume"].Str("id"));
        return (user, snapshot.Str("id"));
    }

    [Fact]
    public async Task A_volume_made_from_a_snapshot_takes_its_region_and_file_system_and_outlives_it()
    {
        var (user, snapshotId) = await Snapshot();
        var (volume, actionId) = await Create(user.Api, new { name = VolumeKit.UniqueName(), size_gigabytes = 30, snapshot_id = snapshotId });
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, actionId)).Status());
        var made = await VolumeKit.Get(user.Api, volume.Str("id"));
        Assert.Equal(("available", "nyc1", 30, "xfs", "pgdata"),
            (made.Status(), made.Str("region_slug"), made.GetProperty("size_gigabytes").GetInt32(), made.Str("filesystem_type"), made.Str("filesystem_label")));

        // Volumes are full copies: the snapshot may go, the volume stays.
        (await user.Api.Delete($"/snapshots/{snapshotId}")).Expect(204);
        Assert.Equal("completed", (await SnapshotKit.DestroyAction(user.Api, snapshotId)).Status());
        await VolumeKit.RunCompleted(user.Api, volume.Str("id"), new { type = "resize", size_gigabytes = 31 });
    }

    [Fact]
    public async Task The_same_region_size_and_file_system_given_again_are_accepted()
    {
        var (user, snapshotId) = await Snapshot();
        var (_, actionId) = await Create(user.Api, new
        {
            name = VolumeKit.UniqueName(), size_gigabytes = 20, region = "nyc1", filesystem_type = "xfs", filesystem_label = "pgdata", snapshot_id = snapshotId,
        });
        Assert.Equal("completed", (await Vms.WaitForAction(user.Api, actionId)).Status());
    }

    [Fact]
    public async Task What_the_snapshot_cannot_give_is_refused_with_the_field_named()
    {
        var (user, snapshotId) = await Snapshot();
        var vmSnapshot = await SnapshotKit.OfVm(user.Api, (await Vms.CreateActive(user.Api)).Str("id"));
        var (_, strangersSnapshot) = await Snapshot();
        async Task Refused(object body, string field) =>
            Assert.Equal([field], (await user.Api.Post("/volumes", body)).ExpectError(422, "unprocessable_entity").ErrorFields());

        await Refused(new { name = "a", size_gigabytes = 19, snapshot_id = snapshotId }, "size_gigabytes");
        await Refused(new { name = "a", size_gigabytes = 20, region = "fra1", snapshot_id = snapshotId }, "region");
        await Refused(new { name = "a", size_gigabytes = 20, filesystem_type = "ext4", snapshot_id = snapshotId }, "filesystem_type");
        await Refused(new { name = "a", size_gigabytes = 20, filesystem_label = "other", snapshot_id = snapshotId }, "filesystem_label");
        await Refused(new { name = "a", size_gigabytes = 20, region = "nyc1", snapshot_id = vmSnapshot }, "snapshot_id");
        await Refused(new { name = "a", size_gigabytes = 20, region = "nyc1", snapshot_id = strangersSnapshot }, "snapshot_id");
        await Refused(new { name = "a", size_gigabytes = 20, region = "nyc1", snapshot_id = "0123456789abcdef0123456789abcdef" }, "snapshot_id");
        await Refused(new { name = "a", size_gigabytes = 20, region = "nyc1", snapshot_id = 5 }, "snapshot_id");
        Assert.Empty((await user.Api.Get("/volumes?name=a")).Expect(200)["volumes"].EnumerateArray());
    }

    static async Task<(System.Text.Json.JsonElement Volume, string ActionId)> Create(ApiClient api, object body)
    {
        var created = (await api.Post("/volumes", body)).Expect(201);
        return (created["volume"], created["links"].GetProperty("actions")[0].Str("id"));
    }
}
