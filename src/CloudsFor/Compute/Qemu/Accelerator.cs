using System.Diagnostics;
using System.Text.Json;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// KVM when it really runs guests here, software emulation (TCG) otherwise. A /dev/kvm that opens is
/// not proof (nested hosts may offer one whose guests never get past firmware), so a kernel is
/// booted once with KVM and must print its banner within a few seconds. The answer is kept in
/// DATA/qemu/accelerator.json for the host's current boot.
/// </summary>
public sealed class Accelerator(QemuSettings settings, ILogger<Accelerator> log)
{
    static readonly TimeSpan ProbeTime = TimeSpan.FromSeconds(6);
    readonly SemaphoreSlim probing = new(1, 1);
    string? chosen;

    sealed record Saved(string BootId, string Accelerator);

    public async Task<string> For(string kernel, CancellationToken ct)
    {
        if (chosen is not null)
            return chosen;
        await probing.WaitAsync(ct);
        try
        {
            chosen ??= await Decide(kernel, ct);
            return chosen;
        }
        finally
        {
            probing.Release();
        }
    }

    async Task<string> Decide(string kernel, CancellationToken ct)
    {
        var file = Path.Combine(settings.Root, "accelerator.json");
        var bootId = File.Exists("/proc/sys/kernel/random/boot_id") ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() : "";
        if (File.Exists(file) && JsonSerializer.Deserialize<Saved>(File.ReadAllText(file)) is { } saved && saved.BootId == bootId)
            return saved.Accelerator;
        var reason = !File.Exists("/dev/kvm") ? "no /dev/kvm" : await KvmBoots(kernel, ct) ? null : $"a KVM guest did not boot within {ProbeTime.TotalSeconds:0} s";
        var accelerator = reason is null ? "kvm" : "tcg";
        log.LogInformation("qemu driver: accelerator {Accelerator} ({Reason})", accelerator, reason ?? "KVM guests boot");
        Directory.CreateDirectory(settings.Root);
        File.WriteAllText(file, JsonSerializer.Serialize(new Saved(bootId, accelerator)));
        return accelerator;
    }

    static async Task<bool> KvmBoots(string kernel, CancellationToken ct)
    {
        var start = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-machine", "pc", "-accel", "kvm", "-m", "128", "-nodefaults", "-display", "none", "-no-reboot",
                     "-kernel", kernel, "-append", "console=ttyS0 panic=-1", "-serial", "stdio" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(ProbeTime);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
                if (line.Contains("Linux version", StringComparison.Ordinal))
                    return true;
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            process.Kill();
        }
    }
}
