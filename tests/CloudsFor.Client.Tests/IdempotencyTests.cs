using CloudsFor.Client.Models;
using CloudsFor.Client.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Client.Tests;

public sealed class IdempotencyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    /// <summary>Loses the answer to the first POST after the server acted on it, as a broken connection would.</summary>
    sealed class LoseFirstPostAnswer : RecordingHandler
    {
        int lost;

        protected override Task<HttpResponseMessage> AfterAnswer(HttpRequestMessage request, HttpResponseMessage response)
        {
            if (request.Method != HttpMethod.Post || Interlocked.Exchange(ref lost, 1) == 1)
                return Task.FromResult(response);
            response.Dispose();
            throw new HttpRequestException("the connection broke before the answer arrived (test)");
        }
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_retried_with_the_same_key_and_makes_one_vm()
    {
        var handler = new LoseFirstPostAnswer();
        var (_, client) = await Clients.NewUser(shared.Server, o => o.Handlers.Add(handler));
        using var _ = client;

        var created = await client.Vms.CreateAsync(new CreateVmRequest(Vms.UniqueName(), Vms.SmallSize, Vms.TinyImage));

        var posts = handler.Exchanges.Where(e => e.Method == HttpMethod.Post).ToList();
        Assert.Equal(2, posts.Count);
        Assert.NotNull(posts[0].IdempotencyKey);
        Assert.Equal(posts[0].IdempotencyKey, posts[1].IdempotencyKey);
        Assert.True(posts[1].Replayed, "the second answer should be the server's replay of the first");
        var vms = await client.Vms.ListAsync().ToListAsync();
        Assert.Equal(created.Vm.Id, Assert.Single(vms).Id);
    }

    [Fact]
    public async Task Each_logical_post_gets_a_key_of_its_own()
    {
        var recorder = new RecordingHandler();
        var (_, client) = await Clients.NewUser(shared.Server, o => o.Handlers.Add(recorder));
        using var _ = client;

        await client.Tokens.CreateAsync(new CreateTokenRequest("a", [TokenScope.Read]));
        await client.Tokens.CreateAsync(new CreateTokenRequest("a", [TokenScope.Read]));

        var keys = recorder.Exchanges.Where(e => e.Method == HttpMethod.Post).Select(e => e.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Distinct().Count());
        Assert.Equal(2, await client.Tokens.ListAsync().CountAsync());
    }
}
