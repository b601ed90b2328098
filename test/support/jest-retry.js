// One retry of a failed test (unit and integration). Integration tests run real brokers, databases
// and several gateways side by side on two cores, and a few unit tests bound wall time, so a rare
// timing miss is retried once; test/support/run-jest.js lists every test that only passed on its
// retry, so a flaky test stays visible instead of being hidden. GATEHOUSE_TEST_RETRIES=0 turns it off.
const retries = Number(process.env.GATEHOUSE_TEST_RETRIES ?? 1);
if (retries > 0) jest.retryTimes(retries, { logErrorsBeforeRetry: true });
