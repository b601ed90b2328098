import type { UpstreamErrorInfo } from '../provider';
import { maskSecrets } from './redact';

const MAX_MESSAGE = 1000;

const asString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Reads an upstream error body in the shapes providers use:
 * OpenAI/Azure `{"error":{"message","type","code"}}`, Anthropic `{"type":"error","error":{"type","message"}}`,
 * Gemini `{"error":{"status","message"}}`, or plain `{"message"}`; anything else is kept as (truncated) text.
 */
export function parseUpstreamError(status: number, body: string): UpstreamErrorInfo {
  let type: string | undefined;
  let message: string | undefined;
  try {
    const json: unknown = JSON.parse(body);
    if (json && typeof json === 'object') {
      const root = json as Record<string, unknown>;
      const err = root.error;
      if (err && typeof err === 'object') {
        const e = err as Record<string, unknown>;
        type = asString(e.type) ?? asString(e.code) ?? asString(e.status);
        message = asString(e.message);
      } else {
        message = asString(err) ?? asString(root.message) ?? asString(root.detail);
        type = asString(root.type) ?? asString(root.code);
      }
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = message ?? (body.trim() || `HTTP ${status}`);
  return {
    type: type ?? `http_${status}`,
    message: maskSecrets(text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text),
  };
}
