import type { GatewayError } from '@gatehouse/contracts';

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** `{"error":{"message","type","code","param"}}` (+ `details`), with the error's own headers (e.g. Retry-After). */
export function renderOpenAIError(err: GatewayError): RenderedError {
  const error: Record<string, unknown> = { message: err.message, type: err.type, code: err.code, param: err.param };
  if (err.details !== undefined) error.details = err.details;
  return {
    status: err.status,
    headers: { ...err.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ error }),
  };
}
