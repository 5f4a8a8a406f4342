using System.Text.Json;

namespace CloudsFor.Tests.Infrastructure;

/// <summary>Domain helpers that do what a client script does: create a zone, add records, read the SOA serial.</summary>
public static class Domains
{
    /// <summary>A zone name no other test uses, under .test (RFC 2606), whose parent no test ever creates.</summary>
    public static string UniqueName(string prefix = "d") => TestAccounts.UniqueName(prefix) + ".test";

    public static async Task<string> Create(ApiClient api, string? name = null, string? ipAddress = null)
    {
        var body = new Dictionary<string, object> { ["name"] = name ?? UniqueName() };
        if (ipAddress is not null)
            body["ip_address"] = ipAddress;
        return (await api.Post("/domains", body)).Expect(201)["domain"].Str("name");
    }

    /// <summary>Creates a record (201) and returns it as the API shows it.</summary>
    public static async Task<JsonElement> AddRecord(ApiClient api, string domain, object record) =>
        (await api.Post($"/domains/{domain}/records", record)).Expect(201)["domain_record"];

    public static async Task<IReadOnlyList<JsonElement>> Records(ApiClient api, string domain, string query = "") =>
        (await api.Get($"/domains/{domain}/records?per_page=200{query}")).Expect(200)["domain_records"].EnumerateArray().ToList();

    public static async Task<long> Serial(ApiClient api, string domain)
    {
        var soa = (await Records(api, domain, "&type=SOA")).Single();
        return long.Parse(soa.Str("data").Split(' ')[2]);
    }
}
