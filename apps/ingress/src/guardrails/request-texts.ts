import type { CanonicalRequest, CanonicalResponse, ImagePart, TextPart } from '@gatehouse/formats';

/**
 * A text the input checks read that is not a text part of its own (tool-call arguments, an image
 * URL, a tool's name or description): writing `text` writes the request field, so redaction
 * applies there as in any text part. `origin` names it in verdict details.
 */
export interface FieldText extends TextPart {
  readonly origin: string;
}

function field(origin: string, read: () => string, write: (text: string) => void): FieldText {
  return {
    type: 'text',
    origin,
    get text() {
      return read();
    },
    set text(value: string) {
      write(value);
    },
  };
}

/**
 * The string values of a JSON text (tool-call arguments), each a field of its own: a redaction
 * replaces the value and the arguments are written back as valid JSON. Arguments that are not
 * JSON are one field.
 */
export function jsonFields(origin: string, json: string, write: (json: string) => void, out: TextPart[]): void {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch {
    out.push(field(origin, () => json, write));
    return;
  }
  const visit = (node: unknown, path: string, set: (v: string) => void): void => {
    if (typeof node === 'string') {
      let value = node;
      out.push(field(`${origin}${path}`, () => value, (v) => {
        value = v;
        set(v);
        write(JSON.stringify(root));
      }));
    } else if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${path}[${i}]`, (s) => (node[i] = s)));
    } else if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const key of Object.keys(obj)) visit(obj[key], `${path}.${key}`, (s) => (obj[key] = s));
    }
  };
  visit(root, '', (s) => (root = s));
}

function imageUrl(origin: string, part: ImagePart, out: TextPart[]): void {
  const src = part.source;
  if (src.kind === 'url' && !src.url.startsWith('data:')) out.push(field(origin, () => src.url, (v) => (src.url = v)));
}

/**
 * What the input checks read, in order, writable in place: the system texts; per message its text
 * parts, tool-call arguments (each JSON string value), tool results (their text parts and image
 * URLs) and image URLs; then the tools offered (name and description). Inline base64 images are
 * not text and are left out.
 */
export function requestTextParts(req: CanonicalRequest): TextPart[] {
  const parts: TextPart[] = [...req.system];
  req.messages.forEach((m, i) => {
    for (const p of m.content) {
      if (p.type === 'text') parts.push(p);
      else if (p.type === 'tool_call') jsonFields(`messages[${i}].tool_call(${p.name}).arguments`, p.arguments, (json) => (p.arguments = json), parts);
      else if (p.type === 'image') imageUrl(`messages[${i}].image_url`, p, parts);
      else if (p.type === 'tool_result') {
        for (const c of p.content) {
          if (c.type === 'text') parts.push(c);
          else imageUrl(`messages[${i}].tool_result.image_url`, c, parts);
        }
      }
    }
  });
  req.tools?.forEach((tool, i) => {
    parts.push(field(`tools[${i}].name`, () => tool.name, (v) => (tool.name = v)));
    if (tool.description !== undefined) parts.push(field(`tools[${i}].description`, () => tool.description ?? '', (v) => (tool.description = v)));
  });
  return parts;
}

/** What the output checks read in a whole response: its text parts and each tool call's arguments (every JSON string value, writable). */
export function responseTextParts(res: CanonicalResponse): TextPart[] {
  const out: TextPart[] = [];
  const parts = res.alternatives ? res.content.concat(...res.alternatives.map((a) => a.content)) : res.content;
  for (const p of parts) {
    if (p.type === 'text') out.push(p);
    else if (p.type === 'tool_call') jsonFields(`tool_call(${p.name}).arguments`, p.arguments, (json) => (p.arguments = json), out);
  }
  return out;
}
