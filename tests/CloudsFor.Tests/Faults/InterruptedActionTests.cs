using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.Tests.Faults;

/// <summary>
/// An action whose run is cut short by a restart again and again (as one that brings the server down would be) is given
/// up after three restarts: errored with the reason, not resumed forever. Runs on either store.
/// </summary>
public sealed class InterruptedActionTests
{
    [Fact]
    public async Task An_action_interrupted_by_three_restarts_is_given_up_with_the_reason()
    {
        // A create that takes a minute: every kill below lands in the middle of a run.
        using var server = await ServerProcess.StartAsync("--sim-delay-ms", "60000", "--rate-per-minute", "0", "--rate-per-hour", "0");
        var user = await TestAccounts.Create(server);
        var vm = await Vms.Create(user.Api, "interrupted");

        for (var run = 1; run <= 3; run++)
        {
            // The run has begun once the simulated driver records the create's execution.
            await Poll.Until(() => Task.FromResult(Executions(server, vm.Id)), n => n == run, $"run {run} of the create beginning");
            server.Kill();
            await server.RestartAsync();
        }

        var action = await Vms.WaitForAction(user.Api, vm.CreateActionId);
        Assert.Equal("errored", action.Status());
        Assert.Equal("The action was interrupted by 3 server restarts and was given up.", action.GetProperty("error").GetString());
        Assert.Equal(3, Executions(server, vm.Id));
        Assert.Equal("errored", (await Vms.Get(user.Api, vm.Id)).Status());
    }

    static long Executions(ServerProcess server, string vmId) =>
        StoreSql.Column<long>(server, "SELECT COUNT(*) FROM simulated_executions WHERE resource_id = @id AND operation = 'create'", ("id", vmId))[0];
}
