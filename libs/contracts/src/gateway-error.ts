/**
 * An error the gateway returns to a client. Each client codec renders it in its own format:
 * OpenAI {"error":{message,type,code,param}}, Anthropic {"type":"error","error":{type,message}}.
 */
export type GatewayErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'rate_limit_exceeded'
  | 'budget_exceeded'
  | 'guardrail_violation'
  | 'upstream_error'
  | 'timeout_error'
  | 'overloaded_error'
  | 'api_error'
  /** The client left before the gateway could answer (traced as 499; nobody reads the body). */
  | 'client_closed';

export interface GatewayErrorOptions {
  code?: string | null;
  param?: string | null;
  details?: unknown;
  headers?: Record<string, string>;
}

export class GatewayError extends Error {
  readonly code: string | null;
  readonly param: string | null;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly type: GatewayErrorType,
    message: string,
    opts: GatewayErrorOptions = {},
  ) {
    super(message);
    this.name = 'GatewayError';
    this.code = opts.code ?? null;
    this.param = opts.param ?? null;
    this.details = opts.details;
    this.headers = opts.headers ?? {};
  }
}

export const invalidRequest = (message: string, param?: string) =>
  new GatewayError(400, 'invalid_request_error', message, { param: param ?? null });

/** A field the client sent that the chosen provider cannot honour: a 400, never a silent drop. */
export const unsupportedField = (field: string, provider: string, why?: string) =>
  new GatewayError(
    400,
    'invalid_request_error',
    `"${field}" is not supported by provider type ${provider}${why ? `: ${why}` : ''}`,
    { param: field, code: 'unsupported_parameter' },
  );
