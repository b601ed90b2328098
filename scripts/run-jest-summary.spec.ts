import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { summarize, retried, workerArgs } = require('../test/support/run-jest.js') as {
  summarize(r: object): { passed: number; failed: number };
  retried(r: object, root?: string): string[];
  workerArgs(args: string[], env: Record<string, string | undefined>): string[];
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

  it('runs two workers with services of their own, one when the caller chose or the services are shared', () => {
    expect(workerArgs(['--selectProjects=integration'], {})).toEqual(['--maxWorkers=2']);
    expect(workerArgs([], { KAFKA_BROKERS: 'kafka:9092' })).toEqual(['--maxWorkers=1']);
    expect(workerArgs([], { REDIS_URL: 'redis://r:6379' })).toEqual(['--maxWorkers=1']);
    for (const given of [['-i'], ['--runInBand'], ['--maxWorkers=4'], ['-w', '3'], ['--maxWorkers', '1']]) expect(workerArgs(given, {})).toEqual([]);
  });
});
