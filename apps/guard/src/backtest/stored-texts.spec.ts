import { requestTexts, responseTexts } from './stored-texts';

describe('stored texts', () => {
  it('reads an OpenAI chat request: message contents, text parts and tool-call arguments, not roles or URLs', () => {
    const body = JSON.stringify({
      model: 'gpt',
      messages: [
        { role: 'system', content: 'be kind' },
        { role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"q":"x"}' } }] },
      ],
    });
    expect(requestTexts(body)).toEqual(['be kind', 'hello', '{"q":"x"}']);
  });

  it('reads an Anthropic request (system string or blocks) and an embeddings input', () => {
    expect(requestTexts(JSON.stringify({ system: [{ type: 'text', text: 'sys' }], messages: [{ role: 'user', content: 'hi' }] }))).toEqual(['sys', 'hi']);
    expect(requestTexts(JSON.stringify({ model: 'e', input: ['a', 'b'] }))).toEqual(['a', 'b']);
    expect(requestTexts(JSON.stringify({ messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: { q: 'x' } }] }] }))).toEqual(['{"q":"x"}']);
    expect(requestTexts('not json')).toEqual(['not json']);
  });

  it('reads the message texts of a JSON response, and a streamed text as it is', () => {
    expect(responseTexts(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'answer' }, finish_reason: 'stop' }] }))).toEqual(['answer']);
    expect(responseTexts(JSON.stringify({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hej' }], model: 'claude' }))).toEqual(['hej']);
    expect(responseTexts('streamed text')).toEqual(['streamed text']);
    expect(responseTexts('{"not":"a response"}')).toEqual(['{"not":"a response"}']);
  });
});
