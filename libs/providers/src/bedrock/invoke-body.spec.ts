import { invokeModelBody, isBedrockAnthropicModel } from './invoke-body';

const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' }, cache_control: { type: 'ephemeral' } };
const body = { model: 'claude', stream: true, max_tokens: 64, messages: [{ role: 'user', content: [pdf, { type: 'text', text: 'Summarise' }] }], unknown_field: 7 };

describe('invokeModelBody', () => {
  it('drops model and stream, keeps every other field as sent and sets the Bedrock anthropic_version', () => {
    const out = invokeModelBody(body, undefined);
    expect(out).not.toHaveProperty('model');
    expect(out).not.toHaveProperty('stream');
    expect(out.anthropic_version).toBe('bedrock-2023-05-31');
    expect(JSON.stringify(out.messages)).toBe(JSON.stringify(body.messages));
    expect(out.unknown_field).toBe(7);
    expect(out).not.toHaveProperty('anthropic_beta');
  });

  it('keeps a client anthropic_version', () => {
    expect(invokeModelBody({ ...body, anthropic_version: 'custom' }, undefined).anthropic_version).toBe('custom');
  });

  it('maps the anthropic-beta header values into anthropic_beta, merged with the body without duplicates', () => {
    expect(invokeModelBody(body, 'pdfs-2024-09-25, token-efficient-tools-2025-02-19').anthropic_beta).toEqual(['pdfs-2024-09-25', 'token-efficient-tools-2025-02-19']);
    expect(invokeModelBody({ ...body, anthropic_beta: ['a'] }, 'a,b').anthropic_beta).toEqual(['a', 'b']);
  });
});

describe('isBedrockAnthropicModel', () => {
  it('recognises Anthropic model ids and cross-region profiles only', () => {
    expect(isBedrockAnthropicModel('anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe(true);
    expect(isBedrockAnthropicModel('us.anthropic.claude-3-7-sonnet-20250219-v1:0')).toBe(true);
    expect(isBedrockAnthropicModel('global.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(true);
    expect(isBedrockAnthropicModel('us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe(true);
    expect(isBedrockAnthropicModel('apac.anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe(true);
    expect(isBedrockAnthropicModel('meta.llama3-70b-instruct-v1:0')).toBe(false);
    expect(isBedrockAnthropicModel('us.meta.llama3-2-90b-instruct-v1:0')).toBe(false);
    expect(isBedrockAnthropicModel('amazon.nova-pro-v1:0')).toBe(false);
  });
});
