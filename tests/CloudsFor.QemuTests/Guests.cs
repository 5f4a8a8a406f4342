using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.QemuTests;

/// <summary>Creating tiny VMs with first-boot data and reading what their consoles say.</summary>
public static class Guests
{
    public static readonly TimeSpan BootDeadline = TimeSpan.FromSeconds(120);

    public static async Task<string> Create(ApiClient api, string name, string? userData = null, string[]? sshKeys = null, string image = "tiny",
        string size = "s-1vcpu-512mb")
    {
        var body = new Dictionary<string, object> { ["name"] = name, ["size"] = size, ["image"] = image };
        if (userData is not null) body["user_data"] = userData;
        if (sshKeys is not null) body["ssh_keys"] = sshKeys;
        return (await api.Post("/vms", body)).Expect(202)["vm"].Str("id");
    }

    /// <summary>Waits until the VM is active and its console shows the tiny image's ready marker; returns the VM.</summary>
    public static async Task<JsonElement> Ready(ApiClient api, string vmId)
    {
        await Poll.Until(() => Vms.Get(api, vmId), vm => vm.Status() is "active" or "errored", $"VM {vmId} active", BootDeadline);
        var vm = await Vms.Get(api, vmId);
        Assert.True(vm.Status() == "active", $"VM did not become active: {vm}");
        await WaitForConsole(api, vmId, "cloudsfor: ready");
        return await Vms.Get(api, vmId);
    }

    public static async Task<string> Console(ApiClient api, string vmId) =>
        (await api.Get($"/vms/{vmId}/console?lines=200")).Expect(200)["console"].Str("output");

    public static Task<string> WaitForConsole(ApiClient api, string vmId, string text) =>
        Poll.Until(() => Console(api, vmId), output => output.Contains(text, StringComparison.Ordinal), $"'{text}' on the console of {vmId}", BootDeadline);

    public static string PrivateIp(JsonElement vm) => vm.GetProperty("networks").GetProperty("v4")[0].Str("ip_address");

    public static int HostPortFor(JsonElement vm, int guestPort) =>
        vm.GetProperty("port_forwards").EnumerateArray().First(p => p.GetProperty("guest_port").GetInt32() == guestPort).GetProperty("host_port").GetInt32();
}
