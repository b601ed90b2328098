import { request } from 'undici';
import { z } from 'zod';
import type { Check, Stage } from '@gatehouse/contracts';
import type { CheckVerdict } from './check';

export type LlmJudgeConfig = Extract<Check, { type: 'llm_judge' }>;

/** Where this process asks judge models (guardrails.judge in the config). */
export interface JudgeEndpoint {
  /** The gateway's base URL (its own /v1/chat/completions). */
  url: string;
  apiKey: string;
  /** Requests of this team are never judged (the judge's own calls come with a key of it). */
  team: string;
}

let endpoint: JudgeEndpoint | null = null;

/** Set once at start by the apps that evaluate policies (ingress inline, guard workers); null: llm_judge checks error. */
export function setJudgeEndpoint(e: JudgeEndpoint | null): void {
  endpoint = e;
}

/** The endpoint from the config's guardrails.judge section. */
export function configureJudge(judge: { url: string; api_key: string; team: string } | undefined): void {
  setJudgeEndpoint(judge ? { url: judge.url, apiKey: judge.api_key, team: judge.team } : null);
}

/** What the judge must answer: JSON in its message text. */
const VerdictSchema = z.object({
  verdict: z.enum(['pass', 'fail']).optional(),
  score: z.number().min(0).max(1).optional(),
  reason: z.string().optional(),
}).refine((v) => v.verdict !== undefined || v.score !== undefined, { message: 'needs "verdict" or "score"' });

export class JudgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JudgeError';
  }
}

const INSTRUCTIONS = 'You are a content judge for an AI gateway. Judge the text in the user message against the rubric below. ' +
  'Answer with one JSON object and nothing else: {"verdict": "pass" | "fail", "score": <0..1, how strongly it violates the rubric>, "reason": "<at most 20 words>"}.\nRubric:\n';

/** The first {...} of the judge's answer parsed against VerdictSchema (models wrap JSON in prose or fences). */
export function parseJudgeAnswer(text: string, threshold: number): CheckVerdict {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  let raw: unknown;
  try {
    raw = JSON.parse(start >= 0 && end > start ? text.slice(start, end + 1) : text);
  } catch {
    throw new JudgeError('judge answer is not JSON');
  }
  const parsed = VerdictSchema.safeParse(raw);
  if (!parsed.success) throw new JudgeError('judge answer does not match {"verdict": "pass"|"fail", "score"?: number, "reason"?: string}');
  const { verdict, score, reason } = parsed.data;
  const fail = verdict === 'fail' || (score !== undefined && score >= threshold);
  const label = reason ? `llm_judge:${reason.replace(/\s+/g, ' ').slice(0, 120)}` : 'llm_judge';
  return { pass: !fail, score: score ?? (verdict === 'fail' ? 1 : 0), spans: [], details: fail ? [label] : [] };
}

/**
 * Asks the judge model through the gateway's own /v1/chat/completions (so the call is routed,
 * priced and traced under the judge key's team), within `timeout_ms`. Text of the judge team is
 * passed unjudged. Throws JudgeError on timeout, a non-200 answer or a malformed verdict.
 */
export async function callJudge(config: Pick<LlmJudgeConfig, 'model' | 'rubric' | 'threshold' | 'timeout_ms'>, text: string, stage: Stage, team: string | null): Promise<CheckVerdict> {
  const e = endpoint;
  if (!e) throw new JudgeError('no judge endpoint configured (guardrails.judge)');
  if (team === e.team) return { pass: true, score: null, spans: [], details: [] };
  const signal = AbortSignal.timeout(config.timeout_ms);
  let status: number;
  let body: string;
  try {
    const res = await request(`${e.url.replace(/\/$/, '')}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${e.apiKey}`, 'content-type': 'application/json', 'x-gatehouse-metadata': JSON.stringify({ feature: 'llm_judge', stage }) },
      body: JSON.stringify({ model: config.model, temperature: 0, max_tokens: 200, messages: [{ role: 'system', content: INSTRUCTIONS + config.rubric }, { role: 'user', content: text }] }),
      signal,
    });
    status = res.statusCode;
    body = await res.body.text();
  } catch (err) {
    throw new JudgeError(signal.aborted ? `judge timed out after ${config.timeout_ms} ms` : `judge request failed: ${(err as Error).name}`);
  }
  if (status !== 200) throw new JudgeError(`judge answered HTTP ${status}`);
  let content: unknown;
  try {
    content = (JSON.parse(body) as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message?.content;
  } catch {
    throw new JudgeError('judge response is not JSON');
  }
  if (typeof content !== 'string') throw new JudgeError('judge response has no message text');
  return parseJudgeAnswer(content, config.threshold);
}
