using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class WaitTests(SharedServer shared) : IClassFixture<SharedServer>
{
    /// <summary>Hears every report in order, at once (Progress&lt;T&gt; would post them to the thread pool, out of the test's sight).</summary>
    sealed class Reports : IProgress<CloudAction>
    {
        public List<CloudAction> Seen { get; } = [];

        public void Report(CloudAction value)
        {
            lock (Seen)
                Seen.Add(value);
        }
    }

    [Fact]
    public async Task WaitForActionAsync_returns_the_completed_create_and_reports_progress()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));
        var reports = new Reports();

        var action = await client.Actions.WaitForActionAsync(created.ActionId, reports);

        Assert.Equal(ActionStatus.Completed, action.Status);
        Assert.Equal("create", action.Type);
        Assert.Equal(created.Vm.Id, action.ResourceId);
        Assert.NotNull(action.CompletedAt);
        Assert.Equal(action, reports.Seen[^1]);
        var vm = await client.Vms.GetAsync(created.Vm.Id);
        Assert.Equal(VmStatus.Active, vm.Status);
        Assert.False(vm.Locked);
    }

    [Fact]
    public async Task WaitForVmAsync_returns_the_vm_in_the_status_asked_for()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage) { Tags = ["web"] });
        await client.Vms.WaitForVmAsync(created.Vm.Id, VmStatus.Active);

        await client.VmActions.PowerOffAsync(created.Vm.Id);
        var vm = await client.Vms.WaitForVmAsync(created.Vm.Id, VmStatus.Off);

        Assert.Equal(VmStatus.Off, vm.Status);
        Assert.Equal(["web"], vm.Tags);
        Assert.Equal(Vms.SmallSize, vm.Size!.Slug);
        Assert.Equal("tiny", vm.Image!.Slug);
        Assert.NotNull(vm.CreatedAt);
        Assert.Equal("private", Assert.Single(vm.Networks.V4).Type);
    }
}
