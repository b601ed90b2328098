// Unit tests (*.spec.ts beside the code) and integration/e2e tests (test/**/*.test.ts).
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
const moduleNameMapper = {
  '^@gatehouse/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  '^@gatehouse/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node' };
const retry = '<rootDir>/test/support/jest-retry.js';
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'], setupFilesAfterEnv: [retry] },
    {
      ...common,
      displayName: 'integration',
      testEnvironment: '<rootDir>/test/support/test-environment.js',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.js',
      globalTeardown: '<rootDir>/test/support/global-teardown.js',
      setupFiles: ['<rootDir>/test/support/worker-services.js'],
      setupFilesAfterEnv: [retry, '<rootDir>/test/support/jest-timeout.js'],
    },
  ],
};
