// Test classes mostly wait on HTTP, not on the CPU, so more of them may run at once than there are cores.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
