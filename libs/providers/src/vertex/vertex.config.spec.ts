import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderConfigSchema } from '../provider-config';

const dir = mkdtempSync(join(tmpdir(), 'vertex-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-not-a-real-key\n-----END PRIVATE KEY-----\n';
const KEY_FILE = { type: 'service_account', project_id: 'acme-prod', private_key_id: 'abc', private_key: PEM, client_email: 'gw@acme-prod.iam.gserviceaccount.com', token_uri: 'https://oauth2.googleapis.com/token' };

const issues = (raw: Record<string, unknown>) => {
  const r = ProviderConfigSchema.safeParse({ type: 'vertex', project: 'acme-prod', location: 'us-east5', ...raw });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('vertex provider config', () => {
  it('accepts a service-account key file or a static access token', () => {
    expect(issues({ credentials_file: file('ok.json', JSON.stringify(KEY_FILE)), token_url: 'http://127.0.0.1:9000/token' })).toEqual([]);
    expect(issues({ api_key: 'ya29.static' })).toEqual([]);
  });

  it('names the missing project, location and credentials', () => {
    const r = ProviderConfigSchema.safeParse({ type: 'vertex', api_key: 'ya29.x' });
    expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'project: required for type vertex (the Google Cloud project id)',
      'location: required for type vertex (the Vertex AI region, e.g. us-central1, europe-west4 or global)',
    ]);
    expect(issues({})).toEqual([expect.stringMatching(/^credentials_file: vertex needs credentials_file/)]);
    expect(issues({ api_key: 'ya29.x', credentials_file: file('both.json', JSON.stringify(KEY_FILE)) })).toEqual([expect.stringMatching(/^api_key: give either/)]);
  });

  it('reads the key file at load and names what is wrong with it, never its contents', () => {
    const missing = join(dir, 'absent.json');
    expect(issues({ credentials_file: missing })).toEqual([`credentials_file: cannot read ${missing} (ENOENT)`]);
    expect(issues({ credentials_file: file('text.json', 'not json') })).toEqual([expect.stringMatching(/text\.json is not JSON$/)]);
    const user = file('user.json', JSON.stringify({ type: 'authorized_user', client_id: 'x', refresh_token: 'r' }));
    expect(issues({ credentials_file: user })).toEqual([`credentials_file: ${user}: type: must be "service_account" (this is not a service-account key)`]);
    const noEmail = issues({ credentials_file: file('noemail.json', JSON.stringify({ ...KEY_FILE, client_email: undefined })) });
    expect(noEmail).toEqual([expect.stringMatching(/noemail\.json: client_email: /)]);
    const badKey = issues({ credentials_file: file('badkey.json', JSON.stringify({ ...KEY_FILE, private_key: 'secret-but-not-pem' })) });
    expect(badKey).toEqual([expect.stringMatching(/badkey\.json: private_key: must be a PEM private key$/)]);
    expect(badKey.join()).not.toContain('secret-but-not-pem');
  });

  it('rejects fields of other provider types', () => {
    expect(issues({ api_key: 'ya29.x', region: 'us-east-1' })).toEqual([expect.stringContaining('not a field of provider type vertex')]);
  });
});
