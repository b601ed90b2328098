// Integration/e2e tests: a generous per-test timeout (real brokers, restarts, several gateways).
jest.setTimeout(120000);
