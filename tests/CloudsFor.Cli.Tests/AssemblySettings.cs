// Each test mostly waits on CLI processes and the server, not on the CPU.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
// The config file's permissions are Unix modes; the tests check them.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
