import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { summarize, retried } = require('../test/support/run-jest.js') as {
  summarize(r: object): { passed: number; failed: number };
  retried(r: object, root?: string): string[];
};

const file = (name: string, tests: Array<{ fullName: string; status: string; invocations?: number }>) => ({ name, assertionResults: tests });

describe('the test runner summary', () => {
  it('counts a suite that failed to run as a failure even with no failed test', () => {
    expect(summarize({ numPassedTests: 3, numFailedTests: 0, numFailedTestSuites: 1, success: false })).toEqual({ passed: 3, failed: 1 });
    expect(summarize({ numPassedTests: 3, numFailedTests: 0, numFailedTestSuites: 0, numRuntimeErrorTestSuites: 0, success: true })).toEqual({ passed: 3, failed: 0 });
  });

  it('names every test that passed only on a retry, and no other', () => {
    const results = {
      testResults: [
        file('/repo/test/e2e/a.test.ts', [
          { fullName: 'a › steady', status: 'passed', invocations: 1 },
          { fullName: 'a › wobbly', status: 'passed', invocations: 2 },
          { fullName: 'a › broken', status: 'failed', invocations: 2 },
        ]),
        file('/repo/test/e2e/b.test.ts', [{ fullName: 'b › old jest', status: 'passed' }]),
      ],
    };
    expect(retried(results, '/repo')).toEqual([`${join('test', 'e2e', 'a.test.ts')} › a › wobbly (2 runs)`]);
  });
});
