// Each test boots real VMs on 2 cores: running test classes one after another keeps boots fast and timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
