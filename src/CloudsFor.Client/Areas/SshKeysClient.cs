using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>SSH keys of the account (/account/keys). Where a method takes <c>key</c>, give the key's id or either fingerprint.</summary>
public sealed class SshKeysClient
{
    readonly Connection connection;

    internal SshKeysClient(Connection connection) => this.connection = connection;

    public IAsyncEnumerable<SshKey> ListAsync(int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("account/keys", ("per_page", perPage)), "ssh_keys", ClientJson.Default.ListSshKey, cancellationToken);

    public Task<Page<SshKey>> GetPageAsync(int page = 1, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("account/keys", ("page", page), ("per_page", perPage)), "ssh_keys", ClientJson.Default.ListSshKey, cancellationToken);

    public Task<SshKey> GetAsync(string key, CancellationToken cancellationToken = default) =>
        connection.GetAsync(PathOf(key), "ssh_key", ClientJson.Default.SshKey, cancellationToken);

    /// <summary>Adds a public key (one line of a .pub file); a malformed key, a short RSA key or one already added is an <see cref="ApiException"/> (422).</summary>
    public Task<SshKey> CreateAsync(CreateSshKeyRequest key, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, "account/keys", key, ClientJson.Default.CreateSshKeyRequest, "ssh_key", ClientJson.Default.SshKey, cancellationToken);

    /// <summary>Renames the key (its name is the only thing that changes).</summary>
    public Task<SshKey> UpdateAsync(string key, UpdateSshKeyRequest update, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Put, PathOf(key), update, ClientJson.Default.UpdateSshKeyRequest, "ssh_key", ClientJson.Default.SshKey, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => connection.DeleteAsync(PathOf(key), cancellationToken);

    static string PathOf(string key) => "account/keys/" + Paths.Segment(key);
}
