import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runApp } from '../support/app-process';

function configFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gh-cfg-'));
  const path = join(dir, 'gatehouse.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('start-up validation fails fast with the field named', () => {
  it('names an unknown provider in a model target', async () => {
    const path = configFile(`
providers:
  openai: { type: openai, api_key: sk-test }
models:
  gpt-4o-mini:
    targets:
      - { provider: opnai, model: gpt-4o-mini }
`);
    const r = await runApp('standalone', { GATEHOUSE_CONFIG: path });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('models.gpt-4o-mini.targets[0].provider: unknown provider "opnai"');
  });

  it('names an unset environment variable referenced by the config', async () => {
    const path = configFile(`
providers:
  openai: { type: openai, api_key: \${GH_TEST_UNSET_KEY} }
`);
    const r = await runApp('standalone', { GATEHOUSE_CONFIG: path, GH_TEST_UNSET_KEY: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('providers.openai.api_key: environment variable GH_TEST_UNSET_KEY is not set');
  });

  it('names a bad env var', async () => {
    const r = await runApp('standalone', { PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PORT: /);
  });

  it('requires KAFKA_BROKERS for the separate ingress app', async () => {
    const r = await runApp('ingress', { KAFKA_BROKERS: '', GATEHOUSE_ADMIN_TOKEN: 'x'.repeat(20) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('KAFKA_BROKERS: required for the ingress app');
  });
});
