using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class UserTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task An_operator_changes_a_users_limits_and_a_user_cannot()
    {
        var (user, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        using var admin = Clients.Admin(shared.Server);

        var changed = await admin.Users.UpdateAsync(user.Id, new UpdateUserRequest(VmLimit: 2, VolumeLimit: 1, VolumeGigabytesLimit: 40));
        Assert.Equal((2, 1, 40L, user.Email), (changed.VmLimit, changed.VolumeLimit, changed.VolumeGigabytesLimit, changed.Email));
        Assert.Equal(changed, await admin.Users.GetAsync(user.Id));

        var e = await Assert.ThrowsAsync<ApiException>(() => client.Users.UpdateAsync(user.Id, new UpdateUserRequest(VmLimit: 100)));
        Assert.Equal(403, e.Status);
        e = await Assert.ThrowsAsync<ApiException>(() => admin.Users.UpdateAsync(user.Id, new UpdateUserRequest(VmLimit: -1)));
        Assert.Equal((422, "vm_limit"), (e.Status, e.Errors.Single().Field));
    }
}
