import { isIPv6 } from 'node:net';
import type { PII_ENTITIES } from '@gatehouse/contracts';
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { TextAnalysis } from '../text-analysis';
import { charTable, inTable, runKind } from '../text-scan';

export type PiiEntity = (typeof PII_ENTITIES)[number];
/** Reports a match [start, end) and the normalized value used for placeholder consistency. */
export type Emit = (start: number, end: number, key: string) => void;
/** Scans `text`; `analysis` is the shared analysis of that same text (its character runs). */
export type Detector = (text: string, emit: Emit, analysis: TextAnalysis) => void;

const digitsOf = (s: string): string => s.replace(/\D/g, '');

// ---- email: scanned around each '@' with character tables (a regex starting with [\w.]+ is quadratic on long words) ----
const LOCAL = charTable(/[A-Za-z0-9._%+\-']/);
const DOMAIN = charTable(/[A-Za-z0-9.-]/);
const ALPHA = charTable(/[A-Za-z]/);
const WORD = charTable(/\w/);
export const detectEmail: Detector = (text, emit) => {
  let at = text.indexOf('@');
  let floor = 0;
  while (at !== -1) {
    let s = at;
    while (s > floor && at - s < 64 && inTable(LOCAL, text.charCodeAt(s - 1))) s--;
    while (s < at && (text[s] === '.' || text[s] === "'")) s++;
    let e = at + 1;
    let lastDot = -1;
    let doubleDot = false;
    while (e < text.length && e - at <= 253 && inTable(DOMAIN, text.charCodeAt(e))) {
      if (text.charCodeAt(e) === 46) {
        if (lastDot === e - 1) doubleDot = true;
        lastDot = e;
      }
      e++;
    }
    while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) {
      e--;
      if (lastDot === e) lastDot = text.lastIndexOf('.', e - 1);
    }
    let ok = s < at && lastDot > at + 1 && !doubleDot && text[at + 1] !== '-' && text[at + 1] !== '.' && e - lastDot - 1 >= 2 && e - lastDot - 1 <= 24;
    for (let i = lastDot + 1; ok && i < e; i++) ok = inTable(ALPHA, text.charCodeAt(i));
    if (ok) {
      emit(s, e, text.slice(s, e).toLowerCase());
      floor = e;
    } else floor = at + 1;
    at = text.indexOf('@', Math.max(at + 1, floor));
  }
};

// ---- phone: candidate runs found by a linear scan, validated by libphonenumber-js (full metadata) ----
const PHONE_RUNS = runKind(/[0-9 +().\/-]/, 7);
const EXTENSION = /^[ ,]*(?:ext\.?|extension|x|#|dw\.?|durchwahl|poste|ext)[ :.]*(\d{1,6})(?!\w)/i;
/** Dates, IPv4, times, thousands-grouped amounts and the SSN shape (AAA-GG-SSSS) are never national phone numbers. */
const NOT_PHONE = /^\d{1,3}(?:[.,]\d{3})+$|^\d{3}([- ])\d{2}\1\d{4}$|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$|^\d{1,3}(?:\.\d{1,3}){3}$|^\d{1,2}:\d{2}/;
/** Regions whose national formats are recognised when a policy names none (`phone_regions`). */
export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = ['US'];

/**
 * Context words: within CONTEXT_SPAN characters before a value they make a weaker form count (a
 * national phone number of any common region or of unusual grouping; an SSN without separators).
 */
const CONTEXT_SPAN = 40;
const PHONE_CONTEXT = /phone|\btel\b|fax|mobile|\bcell|\bcall|whatsapp|telefon|handy|rufnummer|tel[ée]fono|m[óo]vil|llam[ae]|t[ée]l[ée]phone|portable|appele[rz]|cellulare|numero di/i;
const SSN_CONTEXT = /\bssn\b|social security|sozialversicherung|seguro social|s[ée]curit[ée] sociale/i;
/** Regions tried for a national number that has a phone context word. */
const CONTEXT_REGIONS: readonly CountryCode[] = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'BE', 'AT', 'CH', 'IE', 'PL', 'SE', 'IN', 'BR', 'MX', 'CA', 'AU'];
export const hasContext = (text: string, start: number, words: RegExp): boolean => words.test(text.slice(Math.max(0, start - CONTEXT_SPAN), start));

function phoneAt(candidate: string, regions: readonly CountryCode[], context: boolean): PhoneNumber | undefined {
  const intl = candidate.startsWith('+') || candidate.startsWith('00');
  if (intl) {
    const n = parsePhoneNumberFromString(candidate.startsWith('00') ? '+' + candidate.slice(2) : candidate);
    return n?.isValid() ? n : undefined;
  }
  const digits = candidate.replace(/ ext\. \d+$/, '').replace(/\D/g, '').length;
  if (candidate.includes('/') || digits < 8) return undefined;
  // without a context word: 9-11 digits, no lone digit group, and a bare digit run only with a trunk prefix (0…)
  if (!context && (digits < 9 || digits > 11 || /(?:^|\D)\d(?:\D|$)/.test(candidate) || /^[1-9]\d+$/.test(candidate))) return undefined;
  for (const region of context ? [...regions, ...CONTEXT_REGIONS] : regions) {
    const n = parsePhoneNumberFromString(candidate, region);
    if (n?.isValid()) return n;
  }
  return undefined;
}

/**
 * Phone numbers: international (`+` or `00`), national formats of `regions`, with extensions
 * (`ext. 42`, `x12`); with `context`, a national number after a phone word (Tel., teléfono, call…)
 * may be of any common region and grouping.
 */
export function phoneDetector(regions: readonly CountryCode[] = DEFAULT_PHONE_REGIONS, context = true): Detector {
  return (text, emit, analysis) => {
    analysis.eachRun(PHONE_RUNS, (runStart, runEnd) => {
      let s = runStart;
      let e = runEnd;
      while (s < e && !isDigitOrPlus(text.charCodeAt(s)) && text[s] !== '(') s++;
      while (e > s && !isDigit(text.charCodeAt(e - 1))) e--;
      if (e - s < 7) return;
      // the last '+' starts the number; one further back than 15 digits would leave too many digits either way
      for (let i = e - 1, digits = 0; i > s && digits <= 15; i--) {
        const c = text.charCodeAt(i);
        if (c === 43) {
          s = i;
          break;
        }
        if (isDigit(c)) digits++;
      }
      const before = s > 0 ? text.charCodeAt(s - 1) : 32;
      if (inTable(WORD, before) || before === 45 || before === 46 || before >= 128) return;
      const digits = countDigits(text, s, e, 16);
      if (digits < 7 || digits > 15) return;
      let candidate = text.slice(s, e);
      if (NOT_PHONE.test(candidate.replace(/^\(|\)$/g, ''))) return;
      const ext = EXTENSION.exec(text.slice(e, e + 24));
      if (ext) {
        candidate += ` ext. ${ext[1]}`;
        e += ext[0].length;
      }
      const after = e < text.length ? text.charCodeAt(e) : 32;
      if (inTable(WORD, after) || after >= 128 || (after === 46 && isDigit(text.charCodeAt(e + 1)))) return;
      const n = phoneAt(candidate, regions, context && hasContext(text, s, PHONE_CONTEXT));
      if (n) emit(s, e, n.number + (n.ext ? `;ext=${n.ext}` : ''));
    });
  };
}
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** The digits in text[start, end), counted up to `cap` (a run of a long digit table stops there: no copy of the run). */
function countDigits(text: string, start: number, end: number, cap: number): number {
  let n = 0;
  for (let i = start; i < end && n < cap; i++) if (isDigit(text.charCodeAt(i))) n++;
  return n;
}
const isDigitOrPlus = (c: number): boolean => isDigit(c) || c === 43;
export const detectPhone: Detector = phoneDetector();

// ---- credit card: 13-19 digits, Luhn, grouped as cards print them ----
const CARD = /(?<![\w.-])\d(?:(?: {1,2}|-)?\d){12,18}(?![\w-]|\.\d)/g;
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
const CARD_RUNS = runKind(/[0-9 -]/, 13);
export const detectCreditCard: Detector = (text, emit, analysis) => {
  if (analysis.runs(CARD_RUNS).length === 0) return;
  let m: RegExpExecArray | null;
  CARD.lastIndex = 0;
  while ((m = CARD.exec(text)) !== null) {
    const raw = m[0];
    const digits = digitsOf(raw);
    if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits) || !luhnValid(digits)) continue;
    if (!/^[2-6]/.test(digits)) continue;
    if (/[A-Z]{2}\d{2} $/.test(text.slice(Math.max(0, m.index - 5), m.index))) continue; // the rest of an IBAN
    if (/[ -]/.test(raw)) {
      // one kind of separator (one or two spaces, or a dash); groups as cards print them (4-4-4-4, 4-6-5, 4-4-4-2, ...)
      if (new Set(raw.split(/\d+/).filter(Boolean)).size !== 1) continue;
      const groups = raw.split(/ {1,2}|-/).map((g) => g.length);
      if (groups.some((g) => g < 2 || g > 6) || groups[0] < 4) continue;
    }
    emit(m.index, m.index + raw.length, digits);
  }
};

// ---- IBAN: country length table + ISO 7064 mod-97 ----
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VG: 24, XK: 20,
};
export function ibanValid(compact: string): boolean {
  if (IBAN_LENGTHS[compact.slice(0, 2)] !== compact.length) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}
const IBAN_START = /(?<![A-Za-z0-9])([A-Z]{2})\d{2}(?=[ A-Z0-9])/g;
export const detectIban: Detector = (text, emit) => {
  let m: RegExpExecArray | null;
  IBAN_START.lastIndex = 0;
  while ((m = IBAN_START.exec(text)) !== null) {
    const len = IBAN_LENGTHS[m[1]];
    if (!len) continue;
    let compact = '';
    let e = m.index;
    while (e < text.length && compact.length < len) {
      const c = text[e];
      if (/[A-Z0-9]/.test(c)) compact += c;
      else if (!(c === ' ' && /[A-Z0-9]/.test(text[e + 1] ?? ''))) break;
      e++;
    }
    if (compact.length !== len || /[A-Za-z0-9]/.test(text[e] ?? '') || !ibanValid(compact)) continue;
    emit(m.index, e, compact);
    IBAN_START.lastIndex = e;
  }
};

// ---- US SSN: AAA-GG-SSSS (dashes or spaces), invalid ranges rejected ----
const SSN = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-])/g;
export function ssnValid(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}
const SSN_BARE = /(?<![\w-])(\d{3})(\d{2})(\d{4})(?![\w-])/g;
/** US SSNs with dashes or spaces; with `context`, nine bare digits after an SSN word too. */
export function ssnDetector(context = true): Detector {
  return (text, emit) => {
    let m: RegExpExecArray | null;
    SSN.lastIndex = 0;
    while ((m = SSN.exec(text)) !== null) {
      if (ssnValid(m[1], m[3], m[4])) emit(m.index, m.index + m[0].length, m[1] + m[3] + m[4]);
    }
    if (!context) return;
    SSN_BARE.lastIndex = 0;
    while ((m = SSN_BARE.exec(text)) !== null) {
      if (ssnValid(m[1], m[2], m[3]) && hasContext(text, m.index, SSN_CONTEXT)) emit(m.index, m.index + m[0].length, m[0]);
    }
  };
}
export const detectSsn: Detector = ssnDetector();

// ---- IP addresses ----
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w]|\\.\\d)`, 'g');
const HEXCOLON = charTable(/[0-9A-Fa-f:.]/);
export const detectIp: Detector = (text, emit) => {
  let m: RegExpExecArray | null;
  IPV4.lastIndex = 0;
  while ((m = IPV4.exec(text)) !== null) emit(m.index, m.index + m[0].length, m[0]);
  // IPv6: expand around each ':' over hex digits, colons and dots, then validate the run once.
  let colon = text.indexOf(':');
  let floor = 0;
  while (colon !== -1) {
    let s = colon;
    while (s > floor && inTable(HEXCOLON, text.charCodeAt(s - 1))) s--;
    let e = colon + 1;
    while (e < text.length && inTable(HEXCOLON, text.charCodeAt(e))) e++;
    floor = e;
    while (e > colon + 1 && text[e - 1] === '.') e--;
    const before = s > 0 ? text.charCodeAt(s - 1) : 32;
    const after = e < text.length ? text.charCodeAt(e) : 32;
    if (e - s <= 45 && !inTable(WORD, before) && !inTable(WORD, after)) {
      const v = text.slice(s, e);
      if (validIpv6(v)) emit(s, e, v.toLowerCase());
    }
    colon = text.indexOf(':', floor);
  }
};
function validIpv6(v: string): boolean {
  let colons = 0;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) === 58) colons++;
  if (v.length < 3 || colons < 2 || colons > 8 || !isIPv6(v)) return false;
  const groups = v.split(':').filter((g) => g.length > 0).length;
  if (v === '::1') return true;
  const hexDigits = v.replace(/[^0-9A-Fa-f]/g, '').length;
  return groups >= 2 && hexDigits >= 4 && (v.includes('::') || groups >= 8 || v.includes('.'));
}

export const PII_DETECTORS: Record<PiiEntity, Detector> = {
  email: detectEmail,
  phone: detectPhone,
  credit_card: detectCreditCard,
  iban: detectIban,
  us_ssn: detectSsn,
  ip_address: detectIp,
};
