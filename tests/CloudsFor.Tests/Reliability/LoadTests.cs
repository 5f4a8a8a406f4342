using System.Collections.Concurrent;
using System.Diagnostics;
using CloudsFor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CloudsFor.Tests.Reliability;

/// <summary>
/// 64 clients at once for a bounded time, mixing reads and writes over eight accounts: no answer is a
/// 5xx, none a 429 (the limits are high), and no acknowledged write is lost: every accepted VM is
/// listed, every deleted one is not, and each VM carries the name and tags its client last set.
/// A second server with a small budget shows 429s come exactly when the budget runs out.
/// </summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    const int Accounts = 8;
    const int ClientsPerAccount = 8;
    static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);

    /// <summary>What one client was told: its VMs, and the name and tags each must have now.</summary>
    sealed class ClientBook
    {
        public readonly Dictionary<string, (string Name, string[] Tags)> Vms = [];
        public readonly HashSet<string> Deleted = [];
    }

    [Fact]
    public async Task Sixty_four_clients_mixing_reads_and_writes_get_no_5xx_no_429_and_lose_no_write()
    {
        using var server = await ServerProcess.StartAsync(["--sim-delay-ms", "0-20", "--rate-per-minute", "1000000", "--rate-per-hour", "100000000",
            .. ReliabilityKit.BigCatalog]);
        var users = await Task.WhenAll(Enumerable.Range(0, Accounts).Select(_ => TestAccounts.Create(server, vmLimit: 100_000)));
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentBag<string>();
        var deadline = Stopwatch.StartNew();
        var books = new List<(TestUser User, ClientBook Book)>();
        var clients = new List<Task>();
        for (var i = 0; i < Accounts * ClientsPerAccount; i++)
        {
            var book = new ClientBook();
            var user = users[i % Accounts];
            books.Add((user, book));
            clients.Add(Client(user.Api, book, new Random(i), () => deadline.Elapsed < Duration, (what, r) =>
            {
                statuses.AddOrUpdate(r.Status, 1, (_, n) => n + 1);
                if (r.Status >= 500 || r.Status == 429)
                    failures.Add($"{what}: {r}");
            }));
        }
        await Task.WhenAll(clients);
        var total = statuses.Values.Sum();
        output.WriteLine($"{total} requests in {deadline.Elapsed.TotalSeconds:0.0} s ({total / deadline.Elapsed.TotalSeconds:0} a second); statuses: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} answers were 5xx or 429, e.g. {string.Join("\n", failures.Take(5))}");

        foreach (var user in users)
        {
            var listed = (await ReliabilityKit.All(user.Api, "/vms", "vms")).ToDictionary(v => v.Str("id"));
            foreach (var (_, book) in books.Where(b => b.User == user))
            {
                foreach (var (id, expected) in book.Vms)
                {
                    Assert.True(listed.TryGetValue(id, out var vm), $"accepted VM {id} is not listed");
                    Assert.Equal(expected.Name, vm.Str("name"));
                    Assert.Equal(expected.Tags.Order(), vm.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Order());
                }
                foreach (var id in book.Deleted)
                    Assert.False(listed.ContainsKey(id), $"deleted VM {id} is still listed");
            }
        }
        output.WriteLine($"{books.Sum(b => b.Book.Vms.Count)} VMs accepted and found, {books.Sum(b => b.Book.Deleted.Count)} deleted and gone");
    }

    /// <summary>
    /// One client, until the time is up: reads (half of its requests), creates, renames and re-tags,
    /// powers and deletes its own VMs, so what each VM must look like at the end is known exactly.
    /// </summary>
    static async Task Client(ApiClient api, ClientBook book, Random random, Func<bool> running, Action<string, ApiResponse> seen)
    {
        var n = 0;
        while (running())
        {
            var mine = book.Vms.Keys.ToList();
            var vmId = mine.Count > 0 ? mine[random.Next(mine.Count)] : null;
            var roll = vmId is null ? 55 : random.Next(100);
            ApiResponse r;
            switch (roll)
            {
                case < 25:
                    r = await api.Get($"/vms/{vmId}");
                    break;
                case < 40:
                    r = await api.Get($"/vms?per_page={random.Next(1, 50)}&page={random.Next(1, 4)}");
                    break;
                case < 50:
                    r = await api.Get("/actions?per_page=20");
                    break;
                case < 70:
                    var name = $"load-{random.Next()}-{n++}";
                    var tags = new[] { "load", $"t{random.Next(5)}" };
                    r = await api.Post("/vms", new { name, size = Vms.SmallSize, image = Vms.TinyImage, tags });
                    if (r.Status == 202)
                        book.Vms[r["vm"].Str("id")] = (name, tags);
                    break;
                case < 80:
                    var rename = $"renamed-{random.Next()}";
                    var retag = new[] { $"r{random.Next(5)}" };
                    r = await api.Put($"/vms/{vmId}", new { name = rename, tags = retag });
                    if (r.Status == 200)
                        book.Vms[vmId!] = (rename, retag);
                    break;
                case < 93:
                    r = await api.Post($"/vms/{vmId}/actions", new { type = random.Next(2) == 0 ? "power_off" : "power_on" });
                    break;
                default:
                    r = await api.Delete($"/vms/{vmId}");
                    if (r.Status == 204)
                    {
                        book.Vms.Remove(vmId!);
                        book.Deleted.Add(vmId!);
                    }
                    break;
            }
            seen($"client request {n}", r);
        }
    }

    [Fact]
    public async Task A_small_budget_answers_429_exactly_when_it_runs_out_and_never_before()
    {
        const int Budget = 60;
        using var server = await ServerProcess.StartAsync("--rate-per-minute", $"{Budget}", "--sim-delay-ms", "0-20");
        var user = await TestAccounts.Create(server);
        using var pool = new SemaphoreSlim(16, 16); // 16 at a time, as a client's connection pool would send them
        var answers = await Task.WhenAll(Enumerable.Range(0, Budget + 40).Select(async i =>
        {
            await pool.WaitAsync();
            try { return await user.Api.Get(i % 2 == 0 ? "/vms" : "/account"); }
            finally { pool.Release(); }
        }));
        Assert.Equal(Budget, answers.Count(a => a.Status == 200));
        var refused = answers.Where(a => a.Status != 200).ToList();
        Assert.Equal(40, refused.Count);
        foreach (var r in refused)
        {
            r.ExpectError(429, "too_many_requests");
            Assert.True(int.Parse(r.Header("Retry-After")!) is > 0 and <= 60, $"Retry-After: {r.Header("Retry-After")}");
        }
    }
}
