using Microsoft.Playwright;

namespace CloudsFor.Panel.Tests.Infrastructure;

/// <summary>Saves screenshots of the panel into docs/panel/ of the checkout the tests were built from.</summary>
public static class Screenshots
{
    public static string Folder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CloudsFor.slnx")))
            dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("no CloudsFor.slnx above the test assembly"), "docs", "panel");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static Task Save(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Folder(), name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
}
