// Test classes mostly wait on HTTP (or on a rate-limit window), not on the CPU.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
