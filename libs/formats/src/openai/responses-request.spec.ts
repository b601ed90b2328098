import { GatewayError } from '@gatehouse/contracts';
import { decodeOpenAIResponses } from './responses-request';

function errorOf(body: unknown): GatewayError {
  try {
    decodeOpenAIResponses(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected decodeOpenAIResponses to throw');
}

describe('decodeOpenAIResponses', () => {
  it('reads a string input with instructions, text.format, reasoning and limits', () => {
    const { request, includeUsage } = decodeOpenAIResponses({
      model: 'm',
      input: 'hello',
      instructions: 'be brief',
      max_output_tokens: 50,
      temperature: 0.2,
      reasoning: { effort: 'low', summary: 'auto' },
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      store: false,
      include: ['reasoning.encrypted_content'],
      stream: true,
      previous_response_id: null,
    });
    expect(request).toEqual({
      model: 'm',
      system: [{ type: 'text', text: 'be brief' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
      stream: true,
      max_tokens: 50,
      temperature: 0.2,
      reasoning_effort: 'low',
      response_format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
    });
    expect(includeUsage).toBe(true);
  });

  it('maps items: easy messages, developer text, echoed output, parallel function calls and their outputs, reasoning dropped', () => {
    const { request } = decodeOpenAIResponses({
      model: 'm',
      input: [
        { role: 'developer', content: 'rules' },
        { role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'https://x/y.png', detail: 'low' }] },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'checking', annotations: [] }] },
        { type: 'function_call', id: 'fc_1', call_id: 'c1', name: 'f', arguments: '{"a":1}', status: 'completed' },
        { type: 'function_call', call_id: 'c2', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'one' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'two' }] },
      ],
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object' }, strict: null }],
      tool_choice: { type: 'function', name: 'f' },
    });
    expect(request.system).toEqual([{ type: 'text', text: 'rules' }]);
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' }, detail: 'low' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'checking' }, { type: 'tool_call', id: 'c1', name: 'f', arguments: '{"a":1}' }, { type: 'tool_call', id: 'c2', name: 'f', arguments: '{}' }] },
      { role: 'user', content: [{ type: 'tool_result', tool_call_id: 'c1', content: [{ type: 'text', text: 'one' }] }, { type: 'tool_result', tool_call_id: 'c2', content: [{ type: 'text', text: 'two' }] }] },
    ]);
    expect(request.tools).toEqual([{ name: 'f', parameters: { type: 'object' } }]);
    expect(request.tool_choice).toEqual({ type: 'tool', name: 'f' });
  });

  it.each([
    [{ model: 'm', input: 'x', store: true }, 'store', 'stores no responses'],
    [{ model: 'm', input: 'x', previous_response_id: 'resp_1' }, 'previous_response_id', 'stores no responses'],
    [{ model: 'm', input: 'x', conversation: 'conv_1' }, 'conversation', 'stores no responses'],
    [{ model: 'm', input: 'x', tools: [{ type: 'web_search' }] }, 'tools[0].type', 'tools other than function tools'],
    [{ model: 'm', input: [{ type: 'web_search_call', id: 'w' }] }, 'input[0].type', 'expected one of'],
    [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }, 'input[0].content[0]', 'input_file parts is not supported'],
    [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'ftp://x' }] }] }, 'input[0].content[0].image_url', 'expected an http(s) URL'],
    [{ model: 'm', input: 'x', truncation: 'auto' }, 'truncation', 'truncation "auto"'],
    [{ model: 'm', input: 'x', tool_choice: 'required' }, 'tool_choice', 'requires tools'],
    [{ model: 'm', input: [{ role: 'system', content: 'only rules' }] }, 'input', 'at least one user message'],
    [{ model: 'm', input: 'x', frobnicate: 1 }, 'frobnicate', 'unknown parameter'],
    [{ model: 'm' }, 'input', 'expected a string or an array of input items'],
  ])('rejects %j with a 400 naming the field', (body, param, message) => {
    const err = errorOf(body);
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
    expect(err.message).toContain(message);
  });
});
