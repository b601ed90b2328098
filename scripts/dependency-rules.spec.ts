import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.js');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [DEPCRUISE, 'apps', 'libs', '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('dependency rules (.dependency-cruiser.js)', () => {
  it('hold for the tree: libs through their index, apps through theirs, the allowed lib map, no cycles', () => {
    const r = cruise(ROOT);
    expect(r.out).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  }, 120_000);

  it('fail on a deliberately violating tree, naming each broken rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-deps-'));
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    try {
      file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node' } }));
      file('libs/contracts/src/index.ts', "export * from './inner';\nexport * from '../../observability/src/index';\n");
      file('libs/contracts/src/inner.ts', 'export const inner = 1;\n');
      file('libs/observability/src/index.ts', 'export const log = 1;\n');
      file('libs/formats/src/index.ts', "export { inner } from '../../contracts/src/inner';\n");
      file('libs/formats/src/a.ts', "import { b } from './b';\nexport const a = () => b;\n");
      file('libs/formats/src/b.ts', "import { a } from './a';\nexport const b = () => a;\n");
      file('libs/formats/src/app-user.ts', "export { main } from '../../../apps/one/src/main';\n");
      file('apps/one/src/main.ts', "export { two } from '../../two/src/inner';\nexport { inner } from '../../../libs/contracts/src/inner';\nexport const main = 1;\n");
      file('apps/two/src/index.ts', "export { two } from './inner';\n");
      file('apps/two/src/inner.ts', 'export const two = 2;\n');
      const r = cruise(dir);
      expect(r.status).not.toBe(0);
      for (const rule of ['lib-deps-contracts', 'lib-through-index', 'no-circular', 'lib-imports-app', 'app-through-index', 'app-imports-lib-through-index']) {
        expect(r.out).toContain(`error ${rule}:`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
