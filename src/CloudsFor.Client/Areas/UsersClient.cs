using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>Users, each an account of its own (operators only: admin scope).</summary>
public sealed class UsersClient
{
    readonly Connection connection;

    internal UsersClient(Connection connection) => this.connection = connection;

    public IAsyncEnumerable<User> ListAsync(int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("users", ("per_page", perPage)), "users", ClientJson.Default.ListUser, cancellationToken);

    public Task<Page<User>> GetPageAsync(int page = 1, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("users", ("page", page), ("per_page", perPage)), "users", ClientJson.Default.ListUser, cancellationToken);

    public Task<User> GetAsync(string id, CancellationToken cancellationToken = default) =>
        connection.GetAsync("users/" + Paths.Segment(id), "user", ClientJson.Default.User, cancellationToken);

    public Task<User> CreateAsync(CreateUserRequest user, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Post, "users", user, ClientJson.Default.CreateUserRequest, "user", ClientJson.Default.User, cancellationToken);

    /// <summary>Changes a user's limits, email or admin flag (operators only).</summary>
    public Task<User> UpdateAsync(string id, UpdateUserRequest user, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Put, "users/" + Paths.Segment(id), user, ClientJson.Default.UpdateUserRequest, "user", ClientJson.Default.User, cancellationToken);

    /// <summary>Removes the user, its tokens at once and its VMs in the background.</summary>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        connection.DeleteAsync("users/" + Paths.Segment(id), cancellationToken);
}
