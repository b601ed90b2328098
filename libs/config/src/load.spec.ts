import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './interpolate';
import { parseConfig } from './load';
import { parseEnv } from './env';

const example = readFileSync(join(__dirname, '../../../gatehouse.example.yaml'), 'utf8');

describe('config loading', () => {
  it('accepts the bundled example and fills defaults', () => {
    const cfg = parseConfig(example, {}, 'example');
    expect(cfg.providers.mock.type).toBe('mock');
    expect(cfg.models['gpt-4o-mini'].retry.attempts).toBe(2);
    expect(cfg.models['claude-sonnet-4-5'].strategy).toBe('fallback');
    expect(cfg.keys[0]).toMatchObject({ name: 'dev', team: 'platform', log_bodies: true });
  });

  it('names the field of an unknown provider', () => {
    const yaml = 'providers:\n  openai: { type: openai }\nmodels:\n  gpt-4o-mini:\n    targets:\n      - { provider: opnai, model: x }\n';
    expect(() => parseConfig(yaml, {}, 'f.yaml')).toThrow('models.gpt-4o-mini.targets[0].provider: unknown provider "opnai"');
  });

  it('interpolates ${ENV} and ${ENV:-default}, and names an unset variable', () => {
    const yaml = 'providers:\n  a: { type: openai, api_key: "${KEY_A}" }\n  b: { type: openai-compatible, base_url: "${URL_B:-http://127.0.0.1:9/v1}" }\n';
    const cfg = parseConfig(yaml, { KEY_A: 'sk-1' }, 'f');
    expect(cfg.providers.a.api_key).toBe('sk-1');
    expect(cfg.providers.b.base_url).toBe('http://127.0.0.1:9/v1');
    expect(() => parseConfig(yaml, {}, 'f')).toThrow('providers.a.api_key: environment variable KEY_A is not set');
  });

  it('rejects unknown fields, bad types and invalid YAML with the path', () => {
    expect(() => parseConfig('providers:\n  a: { type: openai, apikey: x }\n', {}, 'f')).toThrow(/providers\.a/);
    expect(() => parseConfig('models:\n  m:\n    targets: 3\n', {}, 'f')).toThrow(/models\.m\.targets/);
    expect(() => parseConfig('providers: [\n', {}, 'f')).toThrow(/invalid YAML/);
    expect(() => parseConfig('keys:\n  - { name: a, key_sha256: abc, team: t }\n', {}, 'f')).toThrow(/keys\[0\]\.key_sha256/);
  });

  it('refuses a bedrock provider without credentials, naming the provider (checked by the schema, not the factory)', () => {
    expect(() => parseConfig('providers:\n  aws: { type: bedrock, region: us-east-1 }\n', {}, 'f'))
      .toThrow(/providers\.aws: bedrock needs access_key_id and secret_access_key/);
  });

  it('refuses a field of another provider type, naming the field, and an unknown type naming the choices', () => {
    expect(() => parseConfig('providers:\n  o: { type: openai, region: us-east-1 }\n', {}, 'f')).toThrow('providers.o.region: not a field of provider type openai');
    expect(() => parseConfig('providers:\n  o: { type: openai, deployments: { a: b } }\n', {}, 'f')).toThrow('providers.o.deployments: not a field of provider type openai');
    expect(() => parseConfig('providers:\n  o: { type: opneai }\n', {}, 'f')).toThrow(/providers\.o\.type: must be one of openai, anthropic/);
  });

  it('requires base_url for openai-compatible and region for bedrock', () => {
    expect(() => parseConfig('providers:\n  l: { type: openai-compatible }\n', {}, 'f')).toThrow('providers.l.base_url: required');
    expect(() => parseConfig('providers:\n  b: { type: bedrock }\n', {}, 'f')).toThrow('providers.b.region: required');
  });
});

describe('env validation', () => {
  it('names a bad variable', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT:/);
    expect(() => parseEnv({ KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS: must be a comma-separated list/);
    expect(() => parseEnv({ GATEHOUSE_ADMIN_TOKEN: 'short' })).toThrow(/GATEHOUSE_ADMIN_TOKEN/);
  });

  it('treats blank variables as unset and defaults workers to the core count', () => {
    const env = parseEnv({ KAFKA_BROKERS: '', PORT: '9000' });
    expect(env.KAFKA_BROKERS).toBeUndefined();
    expect(env.PORT).toBe(9000);
    expect(env.GATEHOUSE_WORKERS).toBeGreaterThanOrEqual(1);
  });
});

describe('env references inside flow mappings', () => {
  it('accepts PRODUCT.md syntax { api_key: ${KEY} } and keeps values with YAML-special characters intact', () => {
    const yaml = 'providers:\n  openai: { type: openai, api_key: ${OPENAI_API_KEY} }\n  local: { type: openai-compatible, base_url: http://${LOCAL_HOST}/v1 }\n';
    const cfg = parseConfig(yaml, { OPENAI_API_KEY: 'sk-a: {b} # c', LOCAL_HOST: '127.0.0.1:8000' }, 'f');
    expect(cfg.providers.openai.api_key).toBe('sk-a: {b} # c');
    expect(cfg.providers.local.base_url).toBe('http://127.0.0.1:8000/v1');
  });
});

describe('nested groups', () => {
  const providers = 'providers:\n  p: { type: mock }\n';
  it('accepts a target naming another model alias', () => {
    const cfg = parseConfig(`${providers}models:\n  pool: { targets: [{ provider: p, model: a }] }\n  top: { targets: [{ group: pool }, { provider: p, model: b }] }\n`, {}, 'f');
    expect(cfg.models.top.targets[0]).toEqual({ group: 'pool', weight: 1 });
  });

  it('names the path of an unknown alias', () => {
    expect(() => parseConfig(`${providers}models:\n  top: { targets: [{ provider: p, model: b }, { group: nope }] }\n`, {}, 'f')).toThrow(
      'models.top.targets[1].group: unknown model alias "nope"',
    );
  });

  it('names the path and the loop of a cycle', () => {
    const yaml = `${providers}models:\n  a: { targets: [{ group: b }] }\n  b: { targets: [{ provider: p, model: x }, { group: c }] }\n  c: { targets: [{ group: a }] }\n  self: { targets: [{ group: self }] }\n`;
    expect(() => parseConfig(yaml, {}, 'f')).toThrow(/models\.c\.targets\[0\]\.group: nested groups form a cycle \(a → b → c → a\)/);
    expect(() => parseConfig(yaml, {}, 'f')).toThrow(/models\.self\.targets\[0\]\.group: nested groups form a cycle \(self → self\)/);
  });
});
