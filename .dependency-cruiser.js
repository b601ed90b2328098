// Import boundaries the build enforces (run by `npm run deps`, by .ci/run and by scripts/dependency-rules.spec.ts
// inside `npm test`). docs/architecture.md draws the same map.
'use strict';

/** Which libs each lib may import (through their src/index.ts). Apps may import any lib. */
const LIB_DEPS = {
  contracts: [],
  observability: [],
  redis: [],
  config: ['contracts', 'providers'],
  formats: ['contracts'],
  providers: ['contracts', 'formats', 'observability'],
  routing: ['config'],
  pricing: ['config', 'contracts', 'formats'],
  guardrails: ['contracts', 'formats', 'observability'],
  bus: ['contracts', 'observability'],
  clickhouse: ['config', 'observability'],
  jobs: ['config', 'contracts', 'observability', 'runtime'],
  cache: ['config', 'contracts', 'formats', 'observability', 'redis'],
  spend: ['contracts', 'formats', 'observability', 'providers', 'redis'],
  runtime: ['bus', 'clickhouse', 'config', 'contracts', 'observability', 'spend'],
  keys: ['bus', 'config', 'contracts', 'runtime'],
  auth: ['bus', 'config', 'contracts', 'keys', 'runtime'],
  policies: ['bus', 'contracts', 'runtime'],
  telemetry: ['config', 'contracts', 'observability'],
};

const NOT_TESTS = ['\\.spec\\.ts$', '\\.testing\\.ts$', '/testing/'];

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import cycles, inside a lib or app or across them', from: {}, to: { circular: true } },
    { name: 'lib-imports-app', severity: 'error', comment: 'libs never import apps', from: { path: '^libs/' }, to: { path: '^apps/' } },
    {
      name: 'lib-through-index',
      severity: 'error',
      comment: "another lib is imported only through its src/index.ts (@gatehouse/<lib>)",
      from: { path: '^libs/([^/]+)/', pathNot: NOT_TESTS },
      to: { path: '^libs/[^/]+/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'app-imports-lib-through-index',
      severity: 'error',
      comment: 'an app imports a lib only through its src/index.ts (@gatehouse/<lib>)',
      from: { path: '^apps/', pathNot: NOT_TESTS },
      to: { path: '^libs/[^/]+/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'app-through-index',
      severity: 'error',
      comment: "an app imports another app only through that app's src/index.ts",
      from: { path: '^apps/([^/]+)/', pathNot: NOT_TESTS },
      to: { path: '^apps/[^/]+/', pathNot: ['^apps/$1/', '^apps/[^/]+/src/index\\.ts$'] },
    },
    ...Object.entries(LIB_DEPS).map(([lib, allowed]) => ({
      name: `lib-deps-${lib}`,
      severity: 'error',
      comment: `libs/${lib} may import only: ${allowed.join(', ') || 'no other lib'} (LIB_DEPS in .dependency-cruiser.js)`,
      from: { path: `^libs/${lib}/` },
      to: { path: '^libs/([^/]+)/', pathNot: [`^libs/(${[lib, ...allowed].join('|')})/`] },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
