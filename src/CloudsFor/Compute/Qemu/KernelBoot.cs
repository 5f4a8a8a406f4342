using System.Globalization;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// The QEMU arguments of a VM that boots a kernel and initramfs given on the command line (the tiny image and
/// snapshots of its VMs), chosen for a short boot under software emulation (TCG), where firmware and early kernel
/// work cost many times what they cost on hardware. What each choice bought: docs/operator-guide.md.
/// </summary>
public static class KernelBoot
{
    /// <summary>
    /// A minimal firmware that starts the kernel straight from QEMU's fw_cfg, where SeaBIOS first scans PCI, disks
    /// and option ROMs. It hands over QEMU's ACPI tables all the same, so the power button and PCI hot-plug work.
    /// </summary>
    const string Qboot = "/usr/share/qemu/qboot.rom";

    static readonly Lazy<long?> HostTscKhz = new(ReadHostTscKhz);

    /// <summary>Under KVM the machine boots as it always did; SeaBIOS serves a host without qboot.</summary>
    public static IEnumerable<string> Arguments(string accelerator, string kernel, string initrd)
    {
        var tcg = accelerator == "tcg";
        var firmware = tcg && File.Exists(Qboot) ? new[] { "-bios", Qboot } : [];
        return [.. firmware, "-kernel", kernel, "-initrd", initrd, "-append", CommandLine(tcg, tcg ? HostTscKhz.Value : null)];
    }

    /// <summary>
    /// Under TCG: the guest's TSC runs at the host's rate, so told that rate the kernel skips calibrating it against
    /// the emulated timers and checking the timer interrupt; and it skips the self-tests of its crypto algorithms
    /// (a quarter of a second there), which check the kernel's own code, not anything of this machine.
    /// </summary>
    public static string CommandLine(bool tcg, long? tscKhz) =>
        "console=ttyS0 panic=-1 quiet"
        + (tcg ? " cryptomgr.notests" : "")
        + (tscKhz is { } khz ? $" tsc_early_khz={khz} no_timer_check" : "");

    /// <summary>
    /// The host's TSC rate, when /proc/cpuinfo gives it: on a host without frequency scaling (a VM, as the hosts of
    /// this kind are) "cpu MHz" is the TSC rate; with scaling it is the current clock, so then nothing is known.
    /// </summary>
    static long? ReadHostTscKhz()
    {
        try
        {
            if (Directory.Exists("/sys/devices/system/cpu/cpu0/cpufreq"))
                return null;
            var lines = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).ToList();
            var flags = lines.FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
            if (!flags.Contains("constant_tsc"))
                return null;
            var mhz = lines.FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal))?.Split(':')[1].Trim();
            return double.TryParse(mhz, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
                ? (long)Math.Round(value * 1000)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
