/** Keys whose string values are text a guardrail reads (message content, text blocks, tool-call arguments, embeddings input). */
const TEXT_KEYS = new Set(['content', 'text', 'arguments', 'input', 'system', 'prompt']);

/** Every string under `node` that sits at a text key (or in an array under one); roles, ids, types and URLs are not text. */
function collect(node: unknown, inText: boolean, out: string[]): void {
  if (typeof node === 'string') {
    if (inText && node.length > 0) out.push(node);
  } else if (Array.isArray(node)) {
    for (const item of node) collect(item, inText, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      // Anthropic tool_use input is an object: read as the JSON arguments it stands for.
      if ((k === 'input' || k === 'arguments') && v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(JSON.stringify(v));
      else collect(v, TEXT_KEYS.has(k), out);
    }
  }
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * The input texts of a stored request body (OpenAI chat or embeddings, Anthropic messages, or the
 * canonical form stored after a redaction): system, message contents and text blocks, tool-call
 * arguments, in order. A body that is not JSON is one text.
 */
export function requestTexts(body: string): string[] {
  const root = parse(body);
  if (root === undefined) return [body];
  const out: string[] = [];
  if (root !== null && typeof root === 'object' && !Array.isArray(root)) {
    const r = root as Record<string, unknown>;
    for (const k of ['system', 'messages', 'input', 'prompt']) collect(r[k], k !== 'messages', out);
  }
  return out;
}

/**
 * The output texts of a stored response: a JSON body (OpenAI `choices`, Anthropic `content`) gives
 * its message texts and tool-call arguments; anything else (the text collected from a stream) is
 * the text itself.
 */
export function responseTexts(body: string): string[] {
  const root = parse(body);
  if (root !== null && typeof root === 'object' && !Array.isArray(root)) {
    const r = root as Record<string, unknown>;
    if (Array.isArray(r.choices) || (r.type === 'message' && Array.isArray(r.content))) {
      const out: string[] = [];
      collect(r.choices ?? r.content, r.choices === undefined, out);
      return out;
    }
  }
  return body.length > 0 ? [body] : [];
}
