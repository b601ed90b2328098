import { AzureOpenAIConfigSchema } from './azure-openai.config';
import type { UpstreamRequest } from '../provider';
import { collect, readFixture, runStream } from '../shared/testing';
import { AZURE_DEFAULT_API_VERSION, createAzureOpenAIProvider } from './azure-openai.provider';

const provider = (extra: Record<string, unknown> = {}) => createAzureOpenAIProvider(AzureOpenAIConfigSchema.parse({
  type: 'azure-openai', base_url: 'https://contoso.openai.azure.com/', api_key: 'azure-secret-key', ...extra,
}));
const req = { model: 'm', system: [], messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }], stream: true };

describe('createAzureOpenAIProvider', () => {
  it('routes the model to its deployment with the api-version and api-key header', () => {
    const p = provider({ deployments: { 'gpt-4o': 'prod-gpt4o' }, api_version: '2025-01-01-preview' });
    const r = p.chatRequest(req, 'gpt-4o') as UpstreamRequest;
    expect(r.url).toBe('https://contoso.openai.azure.com/openai/deployments/prod-gpt4o/chat/completions?api-version=2025-01-01-preview');
    expect(r.headers['api-key']).toBe('azure-secret-key');
    expect(r.headers).not.toHaveProperty('authorization');
    expect(JSON.parse(r.body).stream_options).toEqual({ include_usage: true });
  });

  it('defaults the deployment to the model name and the api-version to the GA version', () => {
    const r = provider().embeddingsRequest!({ model: 'e', input: ['x'] }, 'text-embedding-3-small') as UpstreamRequest;
    expect(r.url).toBe(`https://contoso.openai.azure.com/openai/deployments/text-embedding-3-small/embeddings?api-version=${AZURE_DEFAULT_API_VERSION}`);
  });

  it('skips the prompt-filter chunk Azure sends first and starts with the real id', () => {
    const events = runStream(provider().createStreamParser('gpt-4o'), readFixture('azure-openai', 'stream-content-filter.sse'));
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-AdQ1kN3sFv7YbZp2LrTq9XwHcJ6mE', model: 'gpt-4o-2024-08-06' });
    expect(collect(events).get(0)).toBe('Bonjour');
    expect(events[events.length - 1]).toEqual({ type: 'stop', stop_reason: 'end_turn' });
  });

  it('reads Azure error codes', () => {
    expect(provider().parseError(404, readFixture('azure-openai', 'error-404.json')).type).toBe('DeploymentNotFound');
  });
});
