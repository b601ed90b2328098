#!/usr/bin/env node
// Builds every app into dist/: tsc (strict, incremental), path aliases rewritten,
// non-TypeScript assets copied, and one entry per app at dist/apps/<app>/main.js.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(bin('tsc'), ['-p', 'tsconfig.build.json']);
run(bin('tsc-alias'), ['-p', 'tsconfig.build.json']);

const assetDirs = [
  ['libs/clickhouse/src/migrations', 'dist/libs/clickhouse/src/migrations'],
  ['apps/analytics/src/dashboard/public', 'dist/apps/analytics/src/dashboard/public'],
  ['libs/pricing/src/data', 'dist/libs/pricing/src/data'],
  ['libs/guardrails/src/injection/model', 'dist/libs/guardrails/src/injection/model'],
];
for (const [from, to] of assetDirs) {
  const src = path.join(root, from);
  if (!fs.existsSync(src)) continue;
  fs.rmSync(path.join(root, to), { recursive: true, force: true });
  fs.cpSync(src, path.join(root, to), { recursive: true, filter: (f) => !f.endsWith('.ts') });
}
fs.copyFileSync(path.join(root, 'gatehouse.example.yaml'), path.join(root, 'dist', 'gatehouse.example.yaml'));

for (const app of ['ingress', 'guard', 'analytics', 'standalone']) {
  const entry = path.join(root, 'dist', 'apps', app, 'main.js');
  fs.writeFileSync(entry, "'use strict';\nrequire('./src/main.js');\n");
}
