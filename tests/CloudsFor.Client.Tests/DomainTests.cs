using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class DomainTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_domain_and_its_records_are_made_found_by_name_replaced_and_removed()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var name = Domains.UniqueName();

        var domain = await client.Domains.CreateAsync(new CreateDomainRequest(name, "192.0.2.10", 600));
        var www = await client.DomainRecords.CreateAsync(name, new DomainRecordRequest("A", "www", "192.0.2.20", Ttl: 300));
        var mx = await client.DomainRecords.CreateAsync(name, new DomainRecordRequest("MX", "@", "mail." + name + ".", Priority: 10, Ttl: 300));

        Assert.Equal(name, domain.Name);
        Assert.Contains("192.0.2.10", domain.ZoneFile);
        Assert.Equal(10, mx.Priority);
        Assert.Null(www.Priority);
        var atWww = await client.DomainRecords.ListAsync(name, name: "www").ToListAsync();
        Assert.Equal([www.Id], atWww.Select(r => r.Id));
        var mxOnly = await client.DomainRecords.ListAsync(name, type: "MX").ToListAsync();
        Assert.Equal([mx.Id], mxOnly.Select(r => r.Id));

        var replaced = await client.DomainRecords.UpdateAsync(name, www.Id, new DomainRecordRequest("A", "www", "192.0.2.30", Ttl: 1800));

        Assert.Equal("192.0.2.30", replaced.Data);
        Assert.Equal(1800, (await client.DomainRecords.GetAsync(name, www.Id)).Ttl);
        Assert.Contains(name, await client.Domains.ListAsync().Select(d => d.Name).ToListAsync());

        await client.DomainRecords.DeleteAsync(name, www.Id);
        var gone = await Assert.ThrowsAsync<ApiException>(() => client.DomainRecords.GetAsync(name, www.Id));
        Assert.Equal(404, gone.Status);

        await client.Domains.DeleteAsync(name);
        Assert.Equal(404, (await Assert.ThrowsAsync<ApiException>(() => client.Domains.GetAsync(name))).Status);
    }

    [Fact]
    public async Task A_record_the_type_does_not_allow_is_a_422_naming_the_field()
    {
        var (_, client) = await Clients.NewUser(shared.Server);
        using var _ = client;
        var name = Domains.UniqueName();
        await client.Domains.CreateAsync(new CreateDomainRequest(name));

        var e = await Assert.ThrowsAsync<ApiException>(() => client.DomainRecords.CreateAsync(name, new DomainRecordRequest("A", "www", "not-an-address")));

        Assert.Equal(422, e.Status);
        Assert.Equal(["data"], e.Errors.Select(f => f.Field));
        Assert.Empty(await client.DomainRecords.ListAsync(name, name: "www").ToListAsync());
    }
}
