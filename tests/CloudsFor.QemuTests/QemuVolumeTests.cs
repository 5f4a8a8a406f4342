using CloudsFor.Tests.Infrastructure;

namespace CloudsFor.QemuTests;

/// <summary>
/// Volumes as the guest sees them, through the API of a server on the qemu driver: disks that appear and go while the
/// VM runs, data that moves with the volume from one VM to another, a grown size, and attachments that last across
/// power cycles and the server's restart. The guests report on their consoles (<see cref="Reporter"/>).
/// </summary>
public sealed class QemuVolumeTests(QemuServer qemu) : IClassFixture<QemuServer>
{
    ApiClient Api => qemu.Server.Admin;

    /// <summary>
    /// User data that prints the virtio disks (name:serial:sectors) whenever they change; a volume disk (the only ones with
    /// a serial) that appears is read, then marked with this VM's name. In the background, writing to the console itself:
    /// the tiny image waits for user data's own output to end before it is ready.
    /// </summary>
    const string Reporter = """
        #!/bin/sh
        (seen=
        while :; do
          now=
          for d in /sys/block/vd*; do now="$now ${d##*/}:$(cat $d/serial 2>/dev/null):$(cat $d/size)"; done
          if [ "$now" != "$seen" ]; then
            echo "disks:$now"
            for d in /sys/block/vd*; do
              n=${d##*/}; s=$(cat $d/serial 2>/dev/null)
              if [ -n "$s" ] && ! echo "$seen" | grep -q " $n:$s:"; then
                echo "volume $s holds: $(head -c 64 /dev/$n | tr -cd 'A-Za-z0-9-')"
                echo "written-by-$(hostname)" | dd of=/dev/$n conv=fsync 2>/dev/null && sync && echo "volume $s written"
              fi
            done
            seen=$now
          fi
          sleep 1
        done) </dev/null >/dev/ttyS0 2>&1 &
        """;

    [Fact]
    public async Task A_volume_appears_in_a_running_vm_goes_at_detach_and_carries_its_data_to_another_vm()
    {
        var writerName = Vms.UniqueName("writer");
        var writer = await Guests.Create(Api, writerName, userData: Reporter);
        var reader = await Guests.Create(Api, Vms.UniqueName("reader"), userData: Reporter);
        var region = (await Guests.Ready(Api, writer)).GetProperty("region").Str("slug");
        await Guests.Ready(Api, reader);
        var volume = (await VolumeKit.CreateAvailable(Api, size: 1, region: region)).Str("id");
        var serial = volume[..20];

        await VolumeKit.RunCompleted(Api, volume, new { type = "attach", vm_id = writer });
        var console = await Guests.WaitForConsole(Api, writer, $"volume {serial} written");
        Assert.Contains($"volume {serial} holds: \n", console); // a new volume is blank
        AssertLastDisksHave($":{serial}:{1L << 21}", console); // 1 GiB in 512-byte sectors

        await VolumeKit.RunCompleted(Api, volume, new { type = "detach" });
        await Poll.Until(() => Guests.Console(Api, writer), c => !LastDisks(c).Contains(serial, StringComparison.Ordinal),
            "the disk gone from the writer", Guests.BootDeadline);

        await VolumeKit.RunCompleted(Api, volume, new { type = "attach", vm_id = reader });
        await Guests.WaitForConsole(Api, reader, $"volume {serial} holds: written-by-{writerName}");
    }

    [Fact]
    public async Task A_volume_attached_to_a_stopped_vm_is_there_at_its_start_grows_and_stays_across_a_server_restart()
    {
        var name = Vms.UniqueName("holder");
        var vm = await Guests.Create(Api, name, userData: Reporter);
        var region = (await Guests.Ready(Api, vm)).GetProperty("region").Str("slug");
        var volume = (await VolumeKit.CreateAvailable(Api, size: 1, region: region)).Str("id");
        var serial = volume[..20];
        await Vms.RunCompleted(Api, vm, new { type = "power_off" });

        await VolumeKit.RunCompleted(Api, volume, new { type = "attach", vm_id = vm });
        await Vms.RunCompleted(Api, vm, new { type = "power_on" });
        var console = await Guests.WaitForConsole(Api, vm, $"volume {serial} written");
        Assert.Contains($"volume {serial} holds: \n", console);

        await VolumeKit.RunCompleted(Api, volume, new { type = "resize", size_gigabytes = 2 });
        // A power cycle starts the console afresh: what it shows comes from the new machine.
        await Vms.RunCompleted(Api, vm, new { type = "power_cycle" });
        console = await Guests.WaitForConsole(Api, vm, $"volume {serial} written");
        AssertLastDisksHave($":{serial}:{2L << 21}", console);
        Assert.Contains($"volume {serial} holds: written-by-{name}\n", console);

        await qemu.Server.RestartAsync();
        await Vms.RunCompleted(Api, vm, new { type = "power_cycle" });
        console = await Guests.WaitForConsole(Api, vm, $"volume {serial} written");
        AssertLastDisksHave($":{serial}:{2L << 21}", console);
        Assert.Equal([vm], (await VolumeKit.Get(Api, volume)).GetProperty("vm_ids").Strings());
    }

    static void AssertLastDisksHave(string disk, string console) =>
        Assert.True(LastDisks(console).Contains(disk, StringComparison.Ordinal), $"the last disks reported lack {disk}; the console:\n{console}");

    /// <summary>The disks the guest reported last (the shell's prompt on the same console may come before them on a line).</summary>
    static string LastDisks(string console) =>
        console.Split('\n').LastOrDefault(l => l.Contains("disks:", StringComparison.Ordinal)) is { } line ? line[line.IndexOf("disks:", StringComparison.Ordinal)..] : "";
}
