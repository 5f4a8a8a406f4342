// One browser and one server for the whole run; the tests are few and each waits on the browser, so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
