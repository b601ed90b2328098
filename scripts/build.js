#!/usr/bin/env node
// Builds every project of nest-cli.json (the monorepo's project map) into dist/: tsc (strict,
// incremental), path aliases rewritten, each project's assets copied, and one entry per
// application at dist/apps/<app>/main.js. A folder under apps/ or libs/ that nest-cli.json does
// not list fails the build, so the map cannot drift from what is built.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

/** nest-cli.json's projects, checked against the apps/ and libs/ folders. */
function projects() {
  const cli = JSON.parse(fs.readFileSync(path.join(root, 'nest-cli.json'), 'utf8'));
  const listed = Object.entries(cli.projects).map(([name, p]) => ({ name, ...p }));
  const roots = new Set(listed.map((p) => p.root));
  const folders = ['apps', 'libs'].flatMap((dir) =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${dir}/${d.name}`),
  );
  const missing = folders.filter((f) => !roots.has(f));
  const stale = [...roots].filter((r) => !folders.includes(r));
  if (missing.length || stale.length) {
    throw new Error(`nest-cli.json does not match the tree: ${missing.map((m) => `${m} is not a project`).concat(stale.map((s) => `${s} does not exist`)).join('; ')}`);
  }
  return listed;
}

/** A nest-cli asset `{ include: "<dir>/**\/*" }` is a folder under the project's sourceRoot, copied as it is (no .ts). */
function copyAssets(project) {
  for (const asset of project.compilerOptions?.assets ?? []) {
    const include = typeof asset === 'string' ? asset : asset.include;
    const dir = include.replace(/\/\*\*\/\*$/, '');
    const from = path.join(root, project.sourceRoot, dir);
    const to = path.join(root, 'dist', project.sourceRoot, dir);
    if (!fs.existsSync(from)) throw new Error(`nest-cli.json: ${project.name} asset ${include}: ${from} does not exist`);
    fs.rmSync(to, { recursive: true, force: true });
    fs.cpSync(from, to, { recursive: true, filter: (f) => !f.endsWith('.ts') });
  }
}

/**
 * The console (apps/analytics/console): Preact + uPlot bundled by esbuild into one script and one
 * stylesheet next to its index.html, served by the analytics app at /console (no CDN, strict CSP).
 */
function bundleConsole() {
  const src = path.join(root, 'apps', 'analytics', 'console');
  const out = path.join(root, 'dist', 'apps', 'analytics', 'src', 'console', 'public');
  fs.rmSync(out, { recursive: true, force: true });
  require('esbuild').buildSync({
    entryPoints: { console: path.join(src, 'src', 'main.tsx') },
    outdir: out,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(src, 'index.html'), path.join(out, 'index.html'));
}

/**
 * gpt-tokenizer's o200k_base ranks (its own module's export) as JSON next to libs/providers' tokens.js,
 * which loads them from there: parsing JSON leaves a process ~15 MB smaller than compiling the
 * package's 2 MB module of literals (libs/providers/src/mock/tokens.ts).
 */
function writeTokenizerRanks() {
  const ranks = require('gpt-tokenizer/cjs/bpeRanks/o200k_base').default;
  if (!Array.isArray(ranks) || ranks.length < 199_000) throw new Error('gpt-tokenizer: o200k_base ranks not found where expected');
  fs.writeFileSync(path.join(root, 'dist', 'libs', 'providers', 'src', 'mock', 'o200k_base.ranks.json'), JSON.stringify(ranks));
}

function main() {
  const all = projects();
  run(bin('tsc'), ['-p', 'tsconfig.build.json']);
  run(bin('tsc-alias'), ['-p', 'tsconfig.build.json']);
  for (const p of all) copyAssets(p);
  bundleConsole();
  writeTokenizerRanks();
  fs.copyFileSync(path.join(root, 'gatehouse.example.yaml'), path.join(root, 'dist', 'gatehouse.example.yaml'));
  for (const app of all.filter((p) => p.type === 'application')) {
    const entry = path.join(root, 'dist', app.root, `${app.entryFile}.js`);
    fs.writeFileSync(entry, `'use strict';\nrequire('./src/${app.entryFile}.js');\n`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`build: ${e.message}\n`);
    process.exit(1);
  }
}

module.exports = { projects, bundleConsole };
