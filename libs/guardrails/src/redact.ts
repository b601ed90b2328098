import type { Redaction, Span } from './check';
import type { Placeholders } from './placeholders';

/**
 * Turns the spans of every redacting check into non-overlapping redactions per text: spans are
 * sorted by (text, start, longest first); a span overlapping an earlier one is merged into it
 * (the merged region keeps the earlier span's label), so redactions of several checks compose.
 */
export function planRedactions(spans: readonly Span[], texts: readonly string[], placeholders: Placeholders): Redaction[] {
  if (spans.length === 0) return [];
  const sorted = [...spans].sort((a, b) => a.text - b.text || a.start - b.start || b.end - a.end);
  const merged: { text: number; start: number; end: number; first: Span; grown: boolean }[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.text === s.text && s.start < last.end) {
      if (s.end > last.end) {
        last.end = s.end;
        last.grown = true;
      }
      continue;
    }
    merged.push({ text: s.text, start: s.start, end: s.end, first: s, grown: false });
  }
  return merged.map((m) => {
    const value = texts[m.text].slice(m.start, m.end);
    const replacement = m.first.replace ?? placeholders.for(m.first.label, m.grown ? value : m.first.key ?? value);
    return { text: m.text, start: m.start, end: m.end, replacement };
  });
}

/** Applies redactions (as returned by planRedactions: sorted, non-overlapping); texts without any are returned as is. */
export function applyRedactions(texts: readonly string[], redactions: readonly Redaction[]): string[] {
  const out = texts.slice();
  let i = 0;
  while (i < redactions.length) {
    const t = redactions[i].text;
    const src = texts[t];
    const parts: string[] = [];
    let pos = 0;
    for (; i < redactions.length && redactions[i].text === t; i++) {
      const r = redactions[i];
      parts.push(src.slice(pos, r.start), r.replacement);
      pos = r.end;
    }
    parts.push(src.slice(pos));
    out[t] = parts.join('');
  }
  return out;
}
