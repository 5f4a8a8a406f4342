using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>DNS domains (zones), known by their name; the server's DNS server answers for them.</summary>
public sealed class DomainsClient
{
    readonly Connection connection;

    internal DomainsClient(Connection connection) => this.connection = connection;

    /// <param name="tagName">only domains with this tag.</param>
    public IAsyncEnumerable<Domain> ListAsync(int? perPage = null, string? tagName = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("domains", ("tag_name", tagName), ("per_page", perPage)), "domains", ClientJson.Default.ListDomain, cancellationToken);

    public Task<Page<Domain>> GetPageAsync(int page = 1, int? perPage = null, string? tagName = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("domains", ("tag_name", tagName), ("page", page), ("per_page", perPage)), "domains", ClientJson.Default.ListDomain, cancellationToken);

    public Task<Domain> GetAsync(string name, CancellationToken cancellationToken = default) =>
        connection.GetAsync(PathOf(name), "domain", ClientJson.Default.Domain, cancellationToken);

    /// <summary>Creates the zone with its SOA and NS records, and an A or AAAA record for the apex when an address is given.</summary>
    public Task<Domain> CreateAsync(CreateDomainRequest domain, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, "domains", domain, ClientJson.Default.CreateDomainRequest, "domain", ClientJson.Default.Domain, cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken = default) => connection.DeleteAsync(PathOf(name), cancellationToken);

    internal static string PathOf(string name) => "domains/" + Paths.Segment(name);
}

/// <summary>The records of a domain.</summary>
public sealed class DomainRecordsClient
{
    readonly Connection connection;

    internal DomainRecordsClient(Connection connection) => this.connection = connection;

    /// <param name="type">only records of this type (A, MX, …).</param>
    /// <param name="name">only records at this name: relative ("www", "@") or full ("www.example.com").</param>
    public IAsyncEnumerable<DomainRecord> ListAsync(string domain, string? type = null, string? name = null, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Query(domain, type, name, null, perPage), "domain_records", ClientJson.Default.ListDomainRecord, cancellationToken);

    public Task<Page<DomainRecord>> GetPageAsync(string domain, int page = 1, int? perPage = null, string? type = null, string? name = null,
        CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Query(domain, type, name, page, perPage), "domain_records", ClientJson.Default.ListDomainRecord, cancellationToken);

    public Task<DomainRecord> GetAsync(string domain, string id, CancellationToken cancellationToken = default) =>
        connection.GetAsync(PathOf(domain, id), "domain_record", ClientJson.Default.DomainRecord, cancellationToken);

    public Task<DomainRecord> CreateAsync(string domain, DomainRecordRequest record, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, DomainsClient.PathOf(domain) + "/records", record, ClientJson.Default.DomainRecordRequest,
            "domain_record", ClientJson.Default.DomainRecord, cancellationToken);

    /// <summary>Replaces the whole record.</summary>
    public Task<DomainRecord> UpdateAsync(string domain, string id, DomainRecordRequest record, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Put, PathOf(domain, id), record, ClientJson.Default.DomainRecordRequest, "domain_record", ClientJson.Default.DomainRecord, cancellationToken);

    public Task DeleteAsync(string domain, string id, CancellationToken cancellationToken = default) => connection.DeleteAsync(PathOf(domain, id), cancellationToken);

    static string PathOf(string domain, string id) => DomainsClient.PathOf(domain) + "/records/" + Paths.Segment(id);

    static string Query(string domain, string? type, string? name, int? page, int? perPage) =>
        Paths.With(DomainsClient.PathOf(domain) + "/records", ("type", type), ("name", name), ("page", page), ("per_page", perPage));
}
