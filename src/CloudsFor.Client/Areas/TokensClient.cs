using System.Text.Json;
using CloudsFor.Client.Models;
using CloudsFor.Client.Pipeline;

namespace CloudsFor.Client;

/// <summary>API tokens of the caller's own user.</summary>
public sealed class TokensClient
{
    readonly Connection connection;

    internal TokensClient(Connection connection) => this.connection = connection;

    public IAsyncEnumerable<ApiToken> ListAsync(int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.ListAsync(Paths.With("tokens", ("per_page", perPage)), "tokens", ClientJson.Default.ListApiToken, cancellationToken);

    public Task<Page<ApiToken>> GetPageAsync(int page = 1, int? perPage = null, CancellationToken cancellationToken = default) =>
        connection.GetPageAsync(Paths.With("tokens", ("page", page), ("per_page", perPage)), "tokens", ClientJson.Default.ListApiToken, cancellationToken);

    public Task<ApiToken> GetAsync(string id, CancellationToken cancellationToken = default) =>
        connection.GetAsync("tokens/" + Paths.Segment(id), "token", ClientJson.Default.ApiToken, cancellationToken);

    /// <summary>
    /// Creates a token; its <see cref="ApiToken.Secret"/> is in this answer only. Should the first answer be lost and the
    /// retry be answered by the server's replay, the secret is null and <see cref="ApiToken.Message"/> says what to do.
    /// </summary>
    public async Task<ApiToken> CreateAsync(CreateTokenRequest token, CancellationToken cancellationToken = default)
    {
        var answer = await connection.WriteAsync(HttpMethod.Post, "tokens", token, ClientJson.Default.CreateTokenRequest, cancellationToken).ConfigureAwait(false);
        var created = Connection.One(answer.Body, "token", ClientJson.Default.ApiToken);
        using var document = JsonDocument.Parse(answer.Body);
        return document.RootElement.TryGetProperty("message", out var message) ? created with { Message = message.GetString() } : created;
    }

    /// <summary>Renames the token (its name is the only thing that changes).</summary>
    public Task<ApiToken> UpdateAsync(string id, UpdateTokenRequest token, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(HttpMethod.Put, "tokens/" + Paths.Segment(id), token, ClientJson.Default.UpdateTokenRequest, "token", ClientJson.Default.ApiToken, cancellationToken);

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        connection.DeleteAsync("tokens/" + Paths.Segment(id), cancellationToken);
}
