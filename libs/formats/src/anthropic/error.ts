import type { GatewayError, GatewayErrorType } from '@gatehouse/contracts';

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

const TYPES: Record<GatewayErrorType, AnthropicErrorType> = {
  invalid_request_error: 'invalid_request_error',
  authentication_error: 'authentication_error',
  permission_error: 'permission_error',
  not_found_error: 'not_found_error',
  conflict_error: 'invalid_request_error',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit_error',
  rate_limit_exceeded: 'rate_limit_error',
  budget_exceeded: 'rate_limit_error',
  guardrail_violation: 'invalid_request_error',
  upstream_error: 'api_error',
  timeout_error: 'api_error',
  overloaded_error: 'overloaded_error',
  api_error: 'api_error',
  client_closed: 'invalid_request_error',
};

/** Any error type (the gateway's, or one relayed from a provider) as one of Anthropic's names. */
export function anthropicErrorType(type: string): AnthropicErrorType {
  return Object.hasOwn(TYPES, type) ? TYPES[type as GatewayErrorType] : 'api_error';
}

/**
 * `{"type":"error","error":{"type","message"}}` with Anthropic's type names. When the gateway's
 * own type differs (budget_exceeded, guardrail_violation, upstream_error, timeout_error) it stays
 * visible as error.gateway_type and the x-gatehouse-error-type header; code, param and details
 * are added when set.
 */
export function renderAnthropicError(err: GatewayError): { status: number; headers: Record<string, string>; body: string } {
  const type = anthropicErrorType(err.type);
  const error: Record<string, unknown> = { type, message: err.message };
  if (type !== err.type) error.gateway_type = err.type;
  if (err.code !== null) error.code = err.code;
  if (err.param !== null) error.param = err.param;
  if (err.details !== undefined) error.details = err.details;
  const headers: Record<string, string> = { ...err.headers, 'content-type': 'application/json' };
  if (type !== err.type) headers['x-gatehouse-error-type'] = err.type;
  return { status: err.status, headers, body: JSON.stringify({ type: 'error', error }) };
}
