import { GatehouseConfigSchema } from '@gatehouse/config/schema';
import { createProviders } from './registry';

describe('createProviders', () => {
  it('builds one provider per configured account with the matching type', () => {
    const config = GatehouseConfigSchema.parse({
      providers: {
        openai: { type: 'openai', api_key: 'sk-x' },
        claude: { type: 'anthropic', api_key: 'sk-ant-x' },
        azure: { type: 'azure-openai', base_url: 'https://r.openai.azure.com', api_key: 'k' },
        local: { type: 'openai-compatible', base_url: 'http://127.0.0.1:8000/v1' },
        gemini: { type: 'gemini', api_key: 'g' },
        bedrock: { type: 'bedrock', region: 'us-east-1', access_key_id: 'AKIAEXAMPLE', secret_access_key: 's' },
        mock: { type: 'mock' },
      },
    });
    const providers = createProviders(config.providers);
    expect([...providers.keys()]).toEqual(['openai', 'claude', 'azure', 'local', 'gemini', 'bedrock', 'mock']);
    for (const [name, p] of providers) expect(p.type).toBe(config.providers[name].type);
    expect(providers.get('mock')!.kind).toBe('local');
    expect(providers.get('local')!.kind).toBe('http');
  });
});
