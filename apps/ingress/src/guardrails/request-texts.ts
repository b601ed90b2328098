import type { CanonicalRequest, CanonicalResponse, TextPart } from '@gatehouse/formats/canonical';

/** The text parts of a request the input checks read (system, messages, tool results), in order, writable in place. */
export function requestTextParts(req: CanonicalRequest): TextPart[] {
  const parts: TextPart[] = [...req.system];
  for (const m of req.messages) {
    for (const p of m.content) {
      if (p.type === 'text') parts.push(p);
      else if (p.type === 'tool_result') for (const c of p.content) if (c.type === 'text') parts.push(c);
    }
  }
  return parts;
}

export function responseTextParts(res: CanonicalResponse): TextPart[] {
  const out: TextPart[] = [];
  for (const p of res.content) if (p.type === 'text') out.push(p);
  return out;
}
