// A new user's first program against CloudsFor, written only with the client Kiota generated from the served
// OpenAPI document (namespace CloudsFor.Generated, in Generated/ next to this file). It does the everyday steps
// and prints one line per step; any surprise ends it with exit code 1 and a line saying what went wrong.
// Arguments: the CA certificate the server generated, an API token with read and write scopes, a domain name to create.
using System.Security.Cryptography.X509Certificates;
using CloudsFor.Generated;
using CloudsFor.Generated.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using ImageType = CloudsFor.Generated.Images.GetTypeQueryParameterType;
using RecordType = CloudsFor.Generated.Domains.Item.Records.GetTypeQueryParameterType;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: KiotaProbe CA_PEM TOKEN DOMAIN");
    return 2;
}
var trusted = X509CertificateLoader.LoadCertificateFromFile(args[0]);
var handler = new HttpClientHandler
{
    ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
    {
        if (certificate is null || chain is null)
            return false;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    },
};
// No base URL is set here on purpose: the generated client must take it from the document's servers.
var auth = new ApiKeyAuthenticationProvider("Bearer " + args[1], "Authorization", ApiKeyAuthenticationProvider.KeyLocation.Header);
var client = new CloudsForClient(new HttpClientRequestAdapter(auth, httpClient: KiotaClientFactory.Create(handler)));
var deadline = DateTimeOffset.UtcNow.AddSeconds(60);

try
{
    var image = (await client.Images.GetAsync(c => c.QueryParameters.Type = ImageType.Distribution))!.Images!
        .First(i => i.Slug is not null);
    var size = (await client.Sizes.GetAsync())!.Sizes!.First(s => s.Disk >= image.MinDiskSize);

    var created = (await client.Vms.PostAsync(new VmCreate { Name = "probe-1", Size = size.Slug, Image = image.Slug }))!;
    Check(created.Vm is not null && created.Vms is null, "POST /vms with name answers vm, not vms");
    var vm = created.Vm!;
    var createAction = created.Links!.Actions![0].Id!;
    Console.WriteLine($"created vm {vm.Id} status {vm.Status}");

    var action = await WaitFor(vm.Id!, createAction);
    Console.WriteLine($"create action {action.Status}");

    vm = (await client.Vms[vm.Id!].GetAsync())!.Vm!;
    Check(vm.Status == Vm_status.Active, $"VM is active after its create action, not {vm.Status}");
    Check(vm.CreatedAt is not null && action.StartedAt is not null && action.CompletedAt is not null, "created_at, started_at, completed_at are read");
    Check(action.StartedAt <= action.CompletedAt, "started_at comes before completed_at");
    var token = (await client.Tokens.PostAsync(new TokenCreate { Name = "probe", Scopes = [Scope.Read], ExpiresInSeconds = 3600 }))!.Token!;
    Check(token.CreatedAt is not null && token.ExpiresAt > token.CreatedAt, "a token's created_at and expires_at are read");
    Console.WriteLine("timestamps read: created_at started_at completed_at expires_at");

    var off = (await client.Vms[vm.Id!].Actions.PostAsync(new VmActionRequest { Type = VmActionRequest_type.Power_off }))!.Action!;
    await WaitFor(vm.Id!, off.Id!);
    vm = (await client.Vms[vm.Id!].GetAsync())!.Vm!;
    Check(vm.Status == Vm_status.Off, $"VM is off after power_off, not {vm.Status}");
    Console.WriteLine("powered off");

    // An image's vm_id is a nullable id: a snapshot names the VM it came from.
    var snapshot = (await client.Vms[vm.Id!].Actions.PostAsync(new VmActionRequest { Type = VmActionRequest_type.Snapshot, Name = "probe-snap" }))!.Action!;
    await WaitFor(vm.Id!, snapshot.Id!);
    var snapshotImage = (await client.Vms[vm.Id!].Snapshots.GetAsync())!.Snapshots!.Single();
    Check(snapshotImage.VmId == vm.Id && snapshotImage.CreatedAt is not null && vm.VpcId is null, $"a snapshot's vm_id and created_at are read ({snapshotImage.VmId})");
    Console.WriteLine("nullable ids read: vm_id");

    var many = (await client.Vms.PostAsync(new VmCreate { Names = ["probe-2", "probe-3"], Size = size.Slug, Image = image.Slug }))!;
    Check(many.Vms is { Count: 2 } && many.Vm is null, "POST /vms with names answers vms, not vm");
    var seen = new List<string>();
    var page = await client.Vms.GetAsync(c => c.QueryParameters.PerPage = 1);
    while (true)
    {
        seen.AddRange(page!.Vms!.Select(v => v.Id!));
        if (page.Links?.Pages?.Next is not { } next)
            break;
        page = await client.Vms.WithUrl(next).GetAsync();
    }
    Check(seen.Count == 3 && seen.Distinct().Count() == 3 && page.Meta!.Total == 3, $"paging by next links saw {seen.Count} VMs of {page.Meta?.Total}");
    Console.WriteLine($"paged {seen.Count} vms");

    var domain = (await client.Domains.PostAsync(new DomainCreate { Name = args[2] }))!.Domain!;
    var records = client.Domains[domain.Name!].Records;
    await records.PostAsync(new DomainRecordWrite { Type = "A", Name = "www", Data = "192.0.2.7" });
    await records.PostAsync(new DomainRecordWrite { Type = "CAA", Name = "@", Data = "letsencrypt.org", Flags = 0, Tag = CaaTag.Issue });
    var www = (await records.GetAsync(c => c.QueryParameters.Name = "www"))!.DomainRecords!;
    Check(www.Count == 1 && www[0].Data == "192.0.2.7" && www[0].Priority is null, "the name filter finds the one www record");
    var caa = (await records.GetAsync(c => c.QueryParameters.Type = RecordType.CAA))!.DomainRecords!;
    Check(caa.Count == 1 && caa[0].Tag == CaaTag.Issue && caa[0].Flags == 0, "a CAA record's tag and flags are read");
    await records[www[0].Id!].PutAsync(new DomainRecordWrite { Type = "A", Name = "www", Data = "192.0.2.8" });
    await records[www[0].Id!].DeleteAsync();
    Check((await records.GetAsync(c => c.QueryParameters.Name = "www"))!.DomainRecords!.Count == 0, "the deleted record is gone");
    Console.WriteLine("domain records managed with the name filter");

    try
    {
        await client.Vms["0123456789abcdef0123456789abcdef"].GetAsync();
        Fail("an unknown VM is an error");
    }
    catch (Error e)
    {
        Check(e.ResponseStatusCode == 404 && e.Id == Error_id.Not_found && e.RequestId is { Length: > 0 } && e.Message.Length > 0, "a 404 reads as Error");
        Console.WriteLine($"typed error: {e.ResponseStatusCode} not_found");
    }
    try
    {
        await client.Vms[vm.Id!].Actions.PostAsync(new VmActionRequest { Type = VmActionRequest_type.Resize });
        Fail("a resize without a size is an error");
    }
    catch (Error e)
    {
        Check(e.ResponseStatusCode == 422 && e.Id == Error_id.Unprocessable_entity && e.Errors is [{ Field: "size" }], "a 422 reads as Error with its field errors");
        Console.WriteLine($"typed error: {e.ResponseStatusCode} unprocessable_entity on size");
    }
    return 0;
}
catch (ProbeFailure e)
{
    Console.WriteLine("FAILED: " + e.Message);
    return 1;
}

async Task<VmAction> WaitFor(string vmId, string actionId)
{
    while (true)
    {
        var action = (await client.Vms[vmId].Actions[actionId].GetAsync())!.Action!;
        if (action.Status != VmAction_status.InProgress)
        {
            Check(action.Status == VmAction_status.Completed, $"action {action.Type} ended {action.Status}: {action.Error}");
            return action;
        }
        Check(DateTimeOffset.UtcNow < deadline, $"action {action.Type} still in progress after a minute");
        await Task.Delay(100);
    }
}

static void Check(bool ok, string what)
{
    if (!ok)
        Fail(what);
}

static void Fail(string what) => throw new ProbeFailure(what);

sealed class ProbeFailure(string message) : Exception(message);
