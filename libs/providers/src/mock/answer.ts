import type { CanonicalRequest, ToolCallPart, ToolDefinition } from '@gatehouse/formats';
import { structuredAnswer } from './structured';

const MAX_ECHO = 200;

/**
 * What the mock says: a tool call when tools are offered and allowed, else JSON valid against the
 * requested response_format, else a greeting that echoes the user.
 */
export type MockAnswer = { kind: 'text'; text: string } | { kind: 'tool'; call: ToolCallPart };

function lastUserText(req: CanonicalRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i];
    if (m.role !== 'user') continue;
    const text = m.content.map((p) => (p.type === 'text' ? p.text : '')).join(' ').trim();
    if (text) return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
  }
  return '';
}

function endsWithToolResult(req: CanonicalRequest): boolean {
  const last = req.messages[req.messages.length - 1];
  return !!last && last.content.some((p) => p.type === 'tool_result');
}

/** Minimal arguments: the schema's required string/number/integer/boolean properties with placeholder values. */
function minimalArguments(tool: ToolDefinition): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const props = (tool.parameters.properties ?? {}) as Record<string, { type?: unknown; enum?: unknown[] }>;
  const required = Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : [];
  for (const name of required) {
    const prop = props[name] ?? {};
    if (Array.isArray(prop.enum) && prop.enum.length > 0) args[name] = prop.enum[0];
    else if (prop.type === 'string') args[name] = 'mock';
    else if (prop.type === 'number' || prop.type === 'integer') args[name] = 0;
    else if (prop.type === 'boolean') args[name] = false;
  }
  return args;
}

/** A short stable id derived from the tool name and turn, so the same request yields the same call. */
function callId(name: string, turn: number): string {
  let h = 2166136261;
  const s = `${name}#${turn}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return `call_mock_${(h >>> 0).toString(16).padStart(8, '0')}`;
}

export function mockAnswer(req: CanonicalRequest, upstreamModel: string): MockAnswer {
  const choice = req.tool_choice?.type ?? 'auto';
  if (req.tools && req.tools.length > 0 && choice !== 'none' && !endsWithToolResult(req)) {
    const chosen = req.tool_choice?.type === 'tool' ? req.tool_choice.name : undefined;
    const tool = (chosen && req.tools.find((t) => t.name === chosen)) || req.tools[0];
    return {
      kind: 'tool',
      call: { type: 'tool_call', id: callId(tool.name, req.messages.length), name: tool.name, arguments: JSON.stringify(minimalArguments(tool)) },
    };
  }
  const echo = lastUserText(req);
  const json = structuredAnswer(req.response_format, echo);
  if (json !== null) return { kind: 'text', text: json };
  return { kind: 'text', text: `Hello from the Gatehouse mock provider (model ${upstreamModel}). You said: "${echo}"` };
}
