using System.Text.Json.Serialization;
using CloudsFor.Client.Models;

namespace CloudsFor.Client;

/// <summary>
/// Every type the client reads or writes, source-generated: no reflection, so the library works trimmed.
/// Names are the API's snake_case; nulls in requests are left out (the server reads them as not given).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Account))]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(List<User>))]
[JsonSerializable(typeof(ApiToken))]
[JsonSerializable(typeof(List<ApiToken>))]
[JsonSerializable(typeof(SshKey))]
[JsonSerializable(typeof(List<SshKey>))]
[JsonSerializable(typeof(Tag))]
[JsonSerializable(typeof(List<Tag>))]
[JsonSerializable(typeof(Region))]
[JsonSerializable(typeof(List<Region>))]
[JsonSerializable(typeof(Size))]
[JsonSerializable(typeof(List<Size>))]
[JsonSerializable(typeof(Image))]
[JsonSerializable(typeof(List<Image>))]
[JsonSerializable(typeof(Vm))]
[JsonSerializable(typeof(List<Vm>))]
[JsonSerializable(typeof(VmConsole))]
[JsonSerializable(typeof(CloudAction))]
[JsonSerializable(typeof(List<CloudAction>))]
[JsonSerializable(typeof(CloudEvent))]
[JsonSerializable(typeof(List<ActionLink>))]
[JsonSerializable(typeof(Domain))]
[JsonSerializable(typeof(List<Domain>))]
[JsonSerializable(typeof(DomainRecord))]
[JsonSerializable(typeof(List<DomainRecord>))]
[JsonSerializable(typeof(PageLinks))]
[JsonSerializable(typeof(List<FieldError>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(CreateVmRequest))]
[JsonSerializable(typeof(CreateVmsRequest))]
[JsonSerializable(typeof(UpdateVmRequest))]
[JsonSerializable(typeof(VmActionRequest))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(UpdateTokenRequest))]
[JsonSerializable(typeof(CreateSshKeyRequest))]
[JsonSerializable(typeof(CreateTagRequest))]
[JsonSerializable(typeof(TagResourcesRequest))]
[JsonSerializable(typeof(UpdateSshKeyRequest))]
[JsonSerializable(typeof(CreateDomainRequest))]
[JsonSerializable(typeof(DomainRecordRequest))]
[JsonSerializable(typeof(CreateImageRequest))]
[JsonSerializable(typeof(UpdateImageRequest))]
[JsonSerializable(typeof(Volume))]
[JsonSerializable(typeof(List<Volume>))]
[JsonSerializable(typeof(CreateVolumeRequest))]
[JsonSerializable(typeof(VolumeActionRequest))]
internal sealed partial class ClientJson : JsonSerializerContext;
