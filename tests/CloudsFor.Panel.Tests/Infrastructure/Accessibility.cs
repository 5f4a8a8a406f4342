using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CloudsFor.Panel.Tests.Infrastructure;

public static class Accessibility
{
    /// <summary>Runs axe-core on the page as it is and fails on any serious or critical violation, naming each with its elements.</summary>
    public static async Task AssertNoSeriousViolations(IPage page, string what)
    {
        var results = await page.RunAxe();
        var bad = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"axe-core on {what}: " + string.Join("\n", bad.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }
}
