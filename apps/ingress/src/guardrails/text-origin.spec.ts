import type { CanonicalRequest } from '@gatehouse/formats';
import { requestTextParts } from './request-texts';
import { textOrigin } from './text-origin';

describe('textOrigin', () => {
  it('names every text the input checks read by where it sits in the request', () => {
    const req: CanonicalRequest = {
      model: 'm',
      stream: false,
      system: [{ type: 'text', text: 'You are helpful.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'user', content: [{ type: 'tool_result', tool_call_id: 'call_1<script>', content: [{ type: 'text', text: '{"temp": -3}' }] }] },
      ],
    };
    const parts = requestTextParts(req);
    const origins = parts.map((p) => textOrigin(req, p));
    expect(origins).toEqual(expect.arrayContaining(['system', 'messages[0]', 'messages[2].tool_result(call_1script)']));
    expect(origins.some((o) => o.startsWith('messages[1].tool_call(get_weather).arguments'))).toBe(true);
    expect(textOrigin(req, undefined)).toBe('request');
  });
});
