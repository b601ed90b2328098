import { request } from 'undici';
import { z } from 'zod';
import type { Check, Stage } from '@gatehouse/contracts';
import type { CheckVerdict } from './check';

export type WebhookConfig = Extract<Check, { type: 'webhook' }>;

/** What a webhook receives. */
export interface WebhookPayload {
  stage: Stage;
  text: string;
  model: string;
  team: string | null;
  key_id: string | null;
}

/** What a webhook must answer (HTTP 2xx, JSON). */
export const WebhookResponseSchema = z.object({
  pass: z.boolean(),
  score: z.number().min(0).max(1).optional(),
  reason: z.string().max(200).optional(),
});

/** A webhook failure; the message never contains the configured headers or the text sent. */
export class WebhookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookError';
  }
}

/** POSTs the payload with undici and `timeout_ms` for the whole exchange; throws WebhookError on timeout, non-2xx or a malformed answer. */
export async function callWebhook(config: WebhookConfig, payload: WebhookPayload): Promise<CheckVerdict> {
  const signal = AbortSignal.timeout(config.timeout_ms);
  let res;
  try {
    res = await request(config.url, {
      method: 'POST',
      headers: { ...config.headers, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal,
      headersTimeout: config.timeout_ms,
      bodyTimeout: config.timeout_ms,
    });
  } catch (err) {
    throw new WebhookError(signal.aborted ? `webhook timed out after ${config.timeout_ms} ms` : `webhook request failed: ${(err as Error).name}`);
  }
  let body: unknown;
  try {
    const raw = await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new WebhookError(`webhook answered HTTP ${res.statusCode}`);
    body = JSON.parse(raw);
  } catch (err) {
    if (err instanceof WebhookError) throw err;
    throw new WebhookError(signal.aborted ? `webhook timed out after ${config.timeout_ms} ms` : 'webhook answered invalid JSON');
  }
  const parsed = WebhookResponseSchema.safeParse(body);
  if (!parsed.success) throw new WebhookError('webhook answer does not match {"pass": boolean, "score"?: number, "reason"?: string}');
  const { pass, score, reason } = parsed.data;
  return { pass, score: score ?? null, spans: [], details: pass ? [] : [reason ? `webhook:${reason}` : 'webhook'] };
}
