import { GatewayError, invalidRequest, type GatewayErrorType } from '@gatehouse/contracts';
import { renderAnthropicError } from './error';

describe('renderAnthropicError', () => {
  it('renders {"type":"error","error":{type,message}} with the status', () => {
    const out = renderAnthropicError(invalidRequest('max_tokens: is required', 'max_tokens'));
    expect(out.status).toBe(400);
    expect(out.headers['content-type']).toBe('application/json');
    expect(JSON.parse(out.body)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: is required', param: 'max_tokens' },
    });
  });

  it.each<[GatewayErrorType, number, string]>([
    ['authentication_error', 401, 'authentication_error'],
    ['permission_error', 403, 'permission_error'],
    ['not_found_error', 404, 'not_found_error'],
    ['request_too_large', 413, 'request_too_large'],
    ['rate_limit_error', 429, 'rate_limit_error'],
    ['budget_exceeded', 429, 'rate_limit_error'],
    ['guardrail_violation', 400, 'invalid_request_error'],
    ['upstream_error', 502, 'api_error'],
    ['timeout_error', 504, 'api_error'],
    ['overloaded_error', 529, 'overloaded_error'],
    ['api_error', 500, 'api_error'],
  ])('maps %s to an Anthropic type and keeps the gateway type visible', (type, status, expected) => {
    const out = renderAnthropicError(new GatewayError(status, type, 'm'));
    const body = JSON.parse(out.body);
    expect(out.status).toBe(status);
    expect(body.error.type).toBe(expected);
    if (expected === type) {
      expect(body.error.gateway_type).toBeUndefined();
    } else {
      expect(body.error.gateway_type).toBe(type);
      expect(out.headers['x-gatehouse-error-type']).toBe(type);
    }
  });

  it('keeps code, details and headers such as Retry-After', () => {
    const out = renderAnthropicError(
      new GatewayError(400, 'guardrail_violation', 'Blocked by policy pii', {
        code: 'pii',
        details: [{ check: 'pii', action: 'deny' }],
        headers: { 'retry-after': '5' },
      }),
    );
    expect(out.headers['retry-after']).toBe('5');
    expect(JSON.parse(out.body).error).toEqual({
      type: 'invalid_request_error',
      message: 'Blocked by policy pii',
      gateway_type: 'guardrail_violation',
      code: 'pii',
      details: [{ check: 'pii', action: 'deny' }],
    });
  });
});
