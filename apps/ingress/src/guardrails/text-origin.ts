import type { CanonicalRequest, TextPart } from '@gatehouse/formats';

const SAFE_ID = /[^A-Za-z0-9_.:-]/g;

/**
 * Where a text part of the request sits, for verdict details: `system`, `messages[i]` (index among
 * the non-system messages), `messages[i].tool_result(<tool_call_id>)`, or the origin a field text
 * (tool-call arguments, image URLs) carries. Found by identity; called
 * only when a check names a text, so nothing is computed on requests that pass.
 */
export function textOrigin(req: CanonicalRequest, part: TextPart | undefined): string {
  if (!part) return 'request';
  if ('origin' in part && typeof part.origin === 'string') return part.origin;
  if (req.system.includes(part)) return 'system';
  for (let i = 0; i < req.messages.length; i++) {
    for (const p of req.messages[i].content) {
      if (p === part) return `messages[${i}]`;
      if (p.type === 'tool_result' && p.content.includes(part)) return `messages[${i}].tool_result(${p.tool_call_id.replace(SAFE_ID, '').slice(0, 64)})`;
    }
  }
  return 'request';
}
