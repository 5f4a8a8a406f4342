using System.Text.Json;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Resources;

/// <summary>POST /vms: 202 with the VM in "new" and a create action that takes it to "active"; one VM or many; every input checked.</summary>
public sealed class VmCreateTests(SharedServer shared) : IClassFixture<SharedServer>
{
    ServerProcess Server => shared.Server;

    [Fact]
    public async Task Create_one_answers_202_new_with_a_create_action_then_becomes_active()
    {
        var user = await TestAccounts.Create(Server);
        var r = (await user.Api.Post("/vms", new
        {
            name = "web-1.example.com", size = "s-1vcpu-1gb", image = "debian-12", region = "nyc1",
            ssh_keys = new[] { VmSshKeyTests.Ed25519 }, user_data = "#cloud-config\n", tags = new[] { "web", "prod" },
        })).Expect(202);
        Assert.Equal(["links", "vm"], r.Json.EnumerateObject().Select(p => p.Name).Order());
        var vm = r["vm"];
        var id = vm.Str("id");
        Formats.AssertId(vm.GetProperty("id"));
        Assert.EndsWith($"/api/v1/vms/{id}", r.Header("Location"));
        Assert.Equal("web-1.example.com", vm.Str("name"));
        Assert.Equal("new", vm.Status());
        Assert.True(vm.GetProperty("locked").GetBoolean(), "a VM being created is locked");
        AssertVmShape(vm, "s-1vcpu-1gb", 1024, 1, 25, "nyc1", "debian-12");
        Assert.Equal(["prod", "web"], vm.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());

        var actions = r["links"].GetProperty("actions");
        Assert.Equal(1, actions.GetArrayLength());
        Assert.Equal("create", actions[0].Str("rel"));
        var actionId = actions[0].Str("id");
        Formats.AssertId(actions[0].GetProperty("id"));
        Assert.EndsWith($"/api/v1/actions/{actionId}", actions[0].Str("href"));

        var action = await Vms.WaitForAction(user.Api, actionId);
        Assert.Equal("completed", action.Status());
        Assert.Equal("create", action.Str("type"));
        Assert.Equal(id, action.Str("resource_id"));
        var active = await Vms.Get(user.Api, id);
        Assert.Equal("active", active.Status());
        Assert.False(active.GetProperty("locked").GetBoolean());
    }

    [Fact]
    public async Task Region_defaults_to_fra1_and_the_image_may_be_given_by_id()
    {
        var user = await TestAccounts.Create(Server);
        var tinyId = (await user.Api.Get("/images/tiny")).Expect(200)["image"].Str("id");
        var vm = await Vms.CreateActive(user.Api, image: tinyId);
        Assert.Equal("fra1", vm.GetProperty("region").Str("slug"));
        Assert.Equal(tinyId, vm.GetProperty("image").Str("id"));
        Assert.Empty(vm.GetProperty("tags").EnumerateArray());
    }

    [Fact]
    public async Task Create_many_answers_every_vm_and_action()
    {
        var user = await TestAccounts.Create(Server);
        var names = new[] { "batch-a", "batch-b", "batch-c" };
        var r = (await user.Api.Post("/vms", new { names, size = Vms.SmallSize, image = Vms.TinyImage })).Expect(202);
        var vms = r["vms"];
        Assert.Equal(names, vms.EnumerateArray().Select(v => v.Str("name")));
        Assert.All(vms.EnumerateArray(), v => Assert.Equal("new", v.Status()));
        var actions = r["links"].GetProperty("actions");
        Assert.Equal(3, actions.GetArrayLength());
        Assert.All(actions.EnumerateArray(), a => Assert.Equal("create", a.Str("rel")));

        foreach (var actionId in actions.Ids())
            Assert.Equal("completed", (await Vms.WaitForAction(user.Api, actionId)).Status());
        var listed = (await user.Api.Get("/vms")).Expect(200)["vms"];
        Assert.Equal(names, listed.EnumerateArray().Select(v => v.Str("name")).Order());
        Assert.All(listed.EnumerateArray(), v => Assert.Equal("active", v.Status()));
        // Each action belongs to its own VM.
        var resourceIds = new List<string>();
        foreach (var actionId in actions.Ids())
            resourceIds.Add((await user.Api.Get($"/actions/{actionId}")).Expect(200)["action"].Str("resource_id"));
        Assert.Equal(vms.Ids().Order(), resourceIds.Order());
    }

    [Fact]
    public async Task Vms_get_distinct_private_addresses()
    {
        var user = await TestAccounts.Create(Server);
        var r = (await user.Api.Post("/vms", new { names = new[] { "ip-a", "ip-b", "ip-c" }, size = Vms.SmallSize, image = Vms.TinyImage })).Expect(202);
        var addresses = r["vms"].EnumerateArray()
            .Select(v => v.GetProperty("networks").GetProperty("v4")[0].Str("ip_address")).ToList();
        Assert.Equal(addresses.Count, addresses.Distinct().Count());
    }

    [Fact]
    public async Task More_than_ten_names_is_422()
    {
        var user = await TestAccounts.Create(Server);
        var names = Enumerable.Range(0, 11).Select(i => $"n{i}").ToArray();
        var r = await user.Api.Post("/vms", new { names, size = Vms.SmallSize, image = Vms.TinyImage });
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains("names", r.ErrorFields());
        Assert.Equal(0, await VmCount(user));
    }

    [Fact]
    public async Task Ten_names_is_allowed()
    {
        var user = await TestAccounts.Create(Server);
        var names = Enumerable.Range(0, 10).Select(i => $"ten-{i}").ToArray();
        var r = (await user.Api.Post("/vms", new { names, size = Vms.SmallSize, image = Vms.TinyImage })).Expect(202);
        Assert.Equal(10, r["vms"].GetArrayLength());
    }

    public static readonly TheoryData<string, string> InvalidBodies = new()
    {
        { "{\"name\":\"under_score\",\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}", "name" },
        { "{\"name\":\"a..b\",\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}", "name" },
        { "{\"name\":\"" + new string('a', 64) + "\",\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}", "name" },
        { "{\"name\":\"" + string.Join(".", Enumerable.Repeat(new string('a', 63), 4)) + "\",\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}", "name" },
        { "{\"name\":\"\",\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}", "name" },
        { "{\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}", "name" },
        { "{\"name\":\"ok\",\"image\":\"tiny\"}", "size" },
        { "{\"name\":\"ok\",\"size\":\"s-1vcpu-512mb\"}", "image" },
        { "{\"name\":\"ok\",\"size\":\"huge\",\"image\":\"tiny\"}", "size" },
        { "{\"name\":\"ok\",\"size\":\"s-1vcpu-512mb\",\"image\":\"windows-95\"}", "image" },
        { "{\"name\":\"ok\",\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\",\"region\":\"mars1\"}", "region" },
        { "{\"name\":\"ok\",\"names\":[\"a\"],\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}", "names" },
        { "{\"names\":[],\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}", "names" },
        { "{\"names\":[\"good\",\"bad name\"],\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\"}", "names" },
        { "{\"name\":\"ok\",\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\",\"tags\":\"not-a-list\"}", "tags" },
        { "{\"name\":\"ok\",\"size\":\"s-1vcpu-512mb\",\"image\":\"tiny\",\"ssh_keys\":{}}", "ssh_keys" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_creates_are_422_naming_the_field_and_create_nothing(string body, string field)
    {
        var user = await TestAccounts.Create(Server);
        var r = await user.Api.Post("/vms", body);
        r.ExpectError(422, "unprocessable_entity");
        Assert.Contains(field, r.ErrorFields());
        Assert.Equal(0, await VmCount(user));
    }

    [Fact]
    public async Task The_longest_valid_hostname_is_accepted()
    {
        var user = await TestAccounts.Create(Server);
        var name = string.Join(".", Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61); // 253 characters
        Assert.Equal(253, name.Length);
        await Vms.Create(user.Api, name: name);
    }

    static async Task<int> VmCount(TestUser user) =>
        (await user.Api.Get("/vms")).Expect(200)["meta"].GetProperty("total").GetInt32();

    internal static void AssertVmShape(JsonElement vm, string size, int memory, int vcpus, int disk, string region, string image)
    {
        Assert.Equal(memory, vm.GetProperty("memory").GetInt32());
        Assert.Equal(vcpus, vm.GetProperty("vcpus").GetInt32());
        Assert.Equal(disk, vm.GetProperty("disk").GetInt32());
        Formats.AssertTime(vm.GetProperty("created_at"));
        Assert.Equal(size, vm.Str("size_slug"));
        Assert.Equal(size, vm.GetProperty("size").Str("slug"));
        Assert.Equal(region, vm.GetProperty("region").Str("slug"));
        Assert.Equal(image, vm.GetProperty("image").Str("slug"));
        var v4 = vm.GetProperty("networks").GetProperty("v4");
        Assert.Equal(1, v4.GetArrayLength());
        foreach (var field in new[] { "ip_address", "netmask", "gateway" })
            Assert.True(System.Net.IPAddress.TryParse(v4[0].Str(field), out _), $"networks.v4[0].{field} = {v4[0]}");
        Assert.Equal("private", v4[0].Str("type"));
        Assert.Equal(0, vm.GetProperty("networks").GetProperty("v6").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, vm.GetProperty("tags").ValueKind);
        Assert.Equal(0, vm.GetProperty("volume_ids").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, vm.GetProperty("vpc_id").ValueKind);
        Assert.Equal(0, vm.GetProperty("snapshot_ids").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, vm.GetProperty("features").ValueKind);
    }
}
