using System.Net;
using System.Net.Sockets;

namespace CloudsFor.Compute.Qemu;

/// <summary>
/// A learning Ethernet switch between the VMs of one region, running inside the server. Every VM's
/// QEMU sends its private NIC's frames as datagrams to the switch's socket and receives on its own
/// port socket (QEMU's <c>-netdev dgram</c> over Unix sockets). Datagrams carry no connection, so
/// VMs need no reconnecting when the server restarts: frames sent while it is down are lost, and
/// the next server binds the same path and forwards again.
/// </summary>
sealed class RegionSwitch : IDisposable
{
    const int MaxAddresses = 4096;

    readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    readonly string portsDir;
    readonly ILogger log;
    readonly Dictionary<string, string> portOfMac = [];
    readonly CancellationTokenSource stopping = new();

    public RegionSwitch(string socketPath, string portsDir, ILogger log)
    {
        this.portsDir = portsDir;
        this.log = log;
        Directory.CreateDirectory(portsDir);
        File.Delete(socketPath); // left by a server that did not stop cleanly
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        // A VM that does not read (paused, stopped) must not hold up the others: a full port drops the frame, as a busy switch does.
        socket.Blocking = false;
        _ = Task.Run(Forward);
    }

    async Task Forward()
    {
        var frame = new byte[65536];
        EndPoint anyPort = new UnixDomainSocketEndPoint(Path.Combine(portsDir, "any"));
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(frame, SocketFlags.None, anyPort, stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                log.LogWarning("the private network switch of {Ports} could not receive: {Reason}", portsDir, e.Message);
                continue;
            }
            if (received.ReceivedBytes < 14 || received.RemoteEndPoint.ToString() is not { Length: > 0 } from)
                continue;
            try
            {
                Switch(frame.AsSpan(0, received.ReceivedBytes), from);
            }
            catch (IOException e)
            {
                log.LogWarning("the private network switch of {Ports} lost a frame: {Reason}", portsDir, e.Message);
            }
        }
    }

    void Switch(ReadOnlySpan<byte> frame, string from)
    {
        // A guest can send from any number of made-up addresses: forgetting all is cheap, relearning is automatic.
        if (portOfMac.Count >= MaxAddresses)
            portOfMac.Clear();
        portOfMac[Convert.ToHexString(frame[6..12])] = from;
        var broadcast = (frame[0] & 1) == 1;
        if (!broadcast && portOfMac.TryGetValue(Convert.ToHexString(frame[..6]), out var port))
        {
            if (!SendTo(port, frame))
                portOfMac.Remove(Convert.ToHexString(frame[..6]));
            return;
        }
        // Broadcast, multicast, or a destination not heard from yet (as after a restart): every other port.
        foreach (var other in Directory.EnumerateFiles(portsDir))
            if (other != from)
                SendTo(other, frame);
    }

    /// <summary>False when no VM listens there (stopped, deleted); a full queue only loses this frame.</summary>
    bool SendTo(string port, ReadOnlySpan<byte> frame)
    {
        try
        {
            socket.SendTo(frame, SocketFlags.None, new UnixDomainSocketEndPoint(port));
            return true;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode is SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable;
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        socket.Dispose();
    }
}
