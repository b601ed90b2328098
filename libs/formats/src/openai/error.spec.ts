import { GatewayError, invalidRequest } from '@gatehouse/contracts';
import { renderOpenAIError } from './error';

describe('renderOpenAIError', () => {
  it('renders message, type, code and param with the status', () => {
    const out = renderOpenAIError(invalidRequest('messages[2].content: expected a string', 'messages[2].content'));
    expect(out.status).toBe(400);
    expect(out.headers['content-type']).toBe('application/json');
    expect(JSON.parse(out.body)).toEqual({
      error: {
        message: 'messages[2].content: expected a string',
        type: 'invalid_request_error',
        code: null,
        param: 'messages[2].content',
      },
    });
  });

  it('keeps details and the error headers such as Retry-After', () => {
    const err = new GatewayError(429, 'rate_limit_error', 'Rate limit of 10 rpm reached', {
      code: 'rpm_exceeded',
      headers: { 'retry-after': '12' },
      details: { limit: 10 },
    });
    const out = renderOpenAIError(err);
    expect(out.status).toBe(429);
    expect(out.headers['retry-after']).toBe('12');
    expect(JSON.parse(out.body).error).toEqual({
      message: 'Rate limit of 10 rpm reached',
      type: 'rate_limit_error',
      code: 'rpm_exceeded',
      param: null,
      details: { limit: 10 },
    });
  });
});
