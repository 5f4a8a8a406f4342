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

    /// <summary>
    /// Writes the screenshot only when its bytes differ from the file's, so a run that changed nothing visible leaves
    /// the checkout clean. Pages that show per-run data (usernames, ids, the server's timestamps) still differ each run.
    /// </summary>
    public static async Task Save(IPage page, string name)
    {
        var path = Path.Combine(Folder(), name + ".png");
        var shot = await page.ScreenshotAsync(new() { FullPage = true, Animations = ScreenshotAnimations.Disabled });
        var before = File.Exists(path) ? await File.ReadAllBytesAsync(path) : null;
        if (before is null || !Same(shot, before))
            await File.WriteAllBytesAsync(path, shot);
    }

    static bool Same(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);
}
