using CloudsFor.Panel.Tests.Infrastructure;
using CloudsFor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CloudsFor.Panel.Tests;

/// <summary>The Actions page: newest first across the API's oldest-first pages, and live.</summary>
public sealed class ActionsPanelTests(PanelFixture panel) : IClassFixture<PanelFixture>
{
    [Fact]
    public async Task The_newest_action_is_on_top_of_page_one_and_a_new_one_appears_there_without_a_reload()
    {
        var user = await TestAccounts.Create(panel.Server);
        // 60 VMs in six requests: 60 create actions, more than one page of 50, and none of them 50 apart.
        var vmIds = new List<string>();
        for (var batch = 0; batch < 6; batch++)
        {
            var names = Enumerable.Range(0, 10).Select(i => $"b{batch}-vm{i}").ToArray();
            vmIds.AddRange((await user.Api.Post("/vms", new { names, size = Vms.SmallSize, image = Vms.TinyImage })).Expect(202)["vms"].Ids());
        }
        var first = vmIds[0];
        await Poll.Until(() => Vms.Get(user.Api, first), vm => vm.Status() == "active", "the first VM active");
        await Vms.RunCompleted(user.Api, first, new { type = "reboot" });
        var firstOfAll = (await user.Api.Get("/actions?per_page=1")).Expect(200);
        Assert.Equal(61, firstOfAll["meta"].GetProperty("total").GetInt32());
        var oldest = firstOfAll["actions"][0];

        var page = await panel.NewPage();
        await PanelFixture.SignIn(page, user.Username, user.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Actions" }).ClickAsync();
        var rows = page.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(page.GetByText("Page 1 of 2")).ToBeVisibleAsync();
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync("reboot");
        await Expect(rows.First.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/vms/{first}");

        (await user.Api.Post($"/vms/{first}/actions", new { type = "power_off" })).Expect(201);
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync("power_off");
        await Expect(rows.Nth(1).Locator("td").First).ToHaveTextAsync("reboot");
        await Expect(page.GetByText("Page 1 of 2")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Expect(page.GetByText("Page 2 of 2")).ToBeVisibleAsync();
        await Expect(rows).ToHaveCountAsync(12);
        await Expect(rows.Last.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/vms/{oldest.Str("resource_id")}");
        await Expect(rows.Last.Locator("td").First).ToHaveTextAsync("create");
    }
}
