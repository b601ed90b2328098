import { configuredCredentials } from './credentials';
import { GatehouseConfigSchema } from './schema';

describe('configuredCredentials', () => {
  it('collects every provider credential, credential-like headers and webhook headers, and the env secrets', () => {
    const config = GatehouseConfigSchema.parse({
      providers: {
        groq: { type: 'openai-compatible', base_url: 'https://api.groq.example/v1', api_key: 'gsk_key_value_1', headers: { 'HTTP-Referer': 'https://me.example', 'X-Auth-Token': 'Bearer hdr-token-value' } },
        aws: { type: 'bedrock', region: 'us-east-1', access_key_id: 'AKIAEXAMPLE000001', secret_access_key: 'aws/secret+value', session_token: 'session-token-value' },
        azure: { type: 'azure-openai', base_url: 'https://x.example', api_key: 'azure-key-value' },
      },
      policies: [{ id: 'hook', checks: [{ type: 'webhook', url: 'https://hook.example', headers: { authorization: 'Bearer hook-secret-value' } }] }],
    });
    const values = configuredCredentials(config, { GATEHOUSE_ADMIN_TOKEN: 'admin-token-value-0123', CLICKHOUSE_PASSWORD: 'ch-password' });
    expect(values.sort()).toEqual(
      ['gsk_key_value_1', 'hdr-token-value', 'AKIAEXAMPLE000001', 'aws/secret+value', 'session-token-value', 'azure-key-value', 'hook-secret-value', 'admin-token-value-0123', 'ch-password'].sort(),
    );
  });
});
