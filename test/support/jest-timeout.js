// Integration/e2e tests: generous per-test timeout, and one retry of a failed test. These tests run
// real brokers, databases and several gateways side by side on two cores, so a rare timing miss is
// retried once; test/support/run-jest.js lists every test that only passed on its retry, so a flaky
// test stays visible instead of being hidden. GATEHOUSE_TEST_RETRIES=0 turns the retry off.
jest.setTimeout(120000);
const retries = Number(process.env.GATEHOUSE_TEST_RETRIES ?? 1);
if (retries > 0) jest.retryTimes(retries, { logErrorsBeforeRetry: true });
