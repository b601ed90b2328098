import { z } from 'zod';
import { ProviderConfigSchema } from './provider-config';
import { createProviders } from './registry';

describe('createProviders', () => {
  it('builds one provider per configured account with the matching type', () => {
    const providers = z.record(z.string(), ProviderConfigSchema).parse({
      openai: { type: 'openai', api_key: 'sk-x' },
      claude: { type: 'anthropic', api_key: 'sk-ant-x' },
      azure: { type: 'azure-openai', base_url: 'https://r.openai.azure.com', api_key: 'k' },
      local: { type: 'openai-compatible', base_url: 'http://127.0.0.1:8000/v1' },
      gemini: { type: 'gemini', api_key: 'g' },
      bedrock: { type: 'bedrock', region: 'us-east-1', access_key_id: 'AKIAEXAMPLE', secret_access_key: 's' },
      mock: { type: 'mock' },
    });
    const config = { providers };
    const created = createProviders(config.providers);
    expect([...created.keys()]).toEqual(['openai', 'claude', 'azure', 'local', 'gemini', 'bedrock', 'mock']);
    for (const [name, p] of created) expect(p.type).toBe(config.providers[name].type);
    expect(created.get('mock')!.kind).toBe('local');
    expect(created.get('local')!.kind).toBe('http');
  });
});
