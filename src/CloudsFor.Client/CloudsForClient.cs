using System.Text;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>
/// The CloudsFor API, one sub-client per area. Thread-safe; make one per server and credential and keep it
/// (it holds the connection pool). Every call retries what is worth retrying (see <see cref="RetryOptions"/>)
/// and gives every POST an Idempotency-Key, so a retried create never makes two objects.
/// </summary>
public sealed class CloudsForClient : IDisposable
{
    readonly HttpClient http;
    readonly Connection connection;

    public CloudsForClient(CloudsForClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        http = Transport.Create(options);
        connection = new Connection(options, http);
        Account = new AccountClient(connection);
        Users = new UsersClient(connection);
        Tokens = new TokensClient(connection);
        SshKeys = new SshKeysClient(connection);
        Tags = new TagsClient(connection);
        Regions = new RegionsClient(connection);
        Sizes = new SizesClient(connection);
        Images = new ImagesClient(connection);

        VmActions = new VmActionsClient(connection);
        Events = new EventsClient(connection);
        Vms = new VmsClient(connection, Events);
        Actions = new ActionsClient(connection, Events);
        Domains = new DomainsClient(connection);
        DomainRecords = new DomainRecordsClient(connection);
        Console = new ConsoleClient(connection);
        Volumes = new VolumesClient(connection);
        Snapshots = new SnapshotsClient(connection);
    }

    /// <summary>A client for <paramref name="baseUrl"/> with a credential and, optionally, the server's CA file to trust.</summary>
    public CloudsForClient(Uri baseUrl, CloudsForCredential credential, string? caFile = null)
        : this(new CloudsForClientOptions { BaseUrl = baseUrl, Credential = credential, CaFile = caFile })
    {
    }

    public AccountClient Account { get; }
    public UsersClient Users { get; }
    public TokensClient Tokens { get; }
    public SshKeysClient SshKeys { get; }
    public TagsClient Tags { get; }
    public VolumesClient Volumes { get; }
    public SnapshotsClient Snapshots { get; }
    public RegionsClient Regions { get; }
    public SizesClient Sizes { get; }
    public ImagesClient Images { get; }
    public VmsClient Vms { get; }
    public VmActionsClient VmActions { get; }
    public ActionsClient Actions { get; }
    public EventsClient Events { get; }
    public DomainsClient Domains { get; }
    public DomainRecordsClient DomainRecords { get; }
    public ConsoleClient Console { get; }

    /// <summary>The server's OpenAPI document, as JSON text.</summary>
    public async Task<string> GetOpenApiDocumentAsync(CancellationToken cancellationToken = default) =>
        Encoding.UTF8.GetString((await connection.SendAsync(HttpMethod.Get, "openapi.json", null, null, cancellationToken).ConfigureAwait(false)).Body);

    public void Dispose() => http.Dispose();
}
