import { charTable, inTable, runKind } from '../text-scan';

/** A provider key or token pattern; `label` becomes the placeholder type (`[OPENAI_KEY_1]`). */
interface SecretRule {
  readonly label: string;
  readonly re: RegExp;
  /** Every match is made of TOKEN_RUNS characters, at least KEY_MIN_LENGTH of them (so a text without such a run cannot match). */
  readonly inKeyRun?: true;
  /** Extra validation of the matched text (e.g. a mix of letters and digits). */
  readonly accept?: (value: string) => boolean;
}

const mixed = (v: string): boolean => /\d/.test(v) && /[A-Za-z]/.test(v);
const tail = (prefix: RegExp) => (v: string): boolean => mixed(v.replace(prefix, ''));

export const SECRET_RULES: readonly SecretRule[] = [
  { label: 'PRIVATE_KEY', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s:,.]|-(?!----END))*(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)?/g },
  { label: 'ANTHROPIC_KEY', inKeyRun: true, re: /(?<![\w-])sk-ant-(?:[a-z]+\d{2}-)?[A-Za-z0-9_-]{20,}/g, accept: tail(/^sk-ant-/) },
  { label: 'OPENAI_KEY', inKeyRun: true, re: /(?<![\w-])sk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/g, accept: (v) => tail(/^sk-(?:proj-|svcacct-|admin-|None-)?/)(v) && !/--/.test(v) },
  { label: 'AWS_ACCESS_KEY_ID', inKeyRun: true, re: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g },
  { label: 'GITHUB_TOKEN', inKeyRun: true, re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g },
  { label: 'SLACK_TOKEN', inKeyRun: true, re: /(?<![\w-])xox[abposre]-[A-Za-z0-9-]{10,}/g, accept: tail(/^xox.-/) },
  { label: 'GOOGLE_API_KEY', inKeyRun: true, re: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g },
  { label: 'STRIPE_KEY', inKeyRun: true, re: /(?<![\w-])(?:sk|rk)_live_[0-9A-Za-z]{16,}/g },
  { label: 'JWT', re: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
];

/** An AWS secret access key: 40 base64 characters (found among the entropy tokens), counted only near an access key id or an aws/secret keyword. */
export const AWS_SECRET = /^[A-Za-z0-9/+]{40}$/;
export const AWS_CONTEXT = /AKIA|ASIA|aws|secret.?access/i;
export const AWS_CONTEXT_RADIUS = 200;

/** Public material (certificates, public keys) is exempt from the entropy test. */
export const PUBLIC_BLOCK = /-----BEGIN (?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE)-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;

/** Candidate tokens for the entropy test: runs of at least 20 characters from the base64/hex/url-safe alphabets. */
export const ENTROPY_MIN_TOKEN = 20;
/** The shortest provider key marked inKeyRun: a Slack token, `xoxb-` and 10 more. */
export const KEY_MIN_LENGTH = 15;
/**
 * Runs of the base64/hex/url-safe alphabets of KEY_MIN_LENGTH or more: the entropy test takes
 * those of ENTROPY_MIN_TOKEN or more, and the inKeyRun rules' regexes run only on a text that has
 * one (prose rarely does; same result, since their matches are such runs).
 */
export const TOKEN_RUNS = runKind(/[A-Za-z0-9+/=_-]/, KEY_MIN_LENGTH);
export const ENTROPY_MAX_TOKEN = 1024;

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Tokens that look random: letters and digits mixed, not an identifier-ish word chain or a path, entropy above the threshold. */
export function highEntropy(token: string, threshold: number): boolean {
  if (token.length > ENTROPY_MAX_TOKEN || !mixed(token)) return false;
  if (isWordChain(token)) return false;
  if (isPath(token) && !(/[A-Z]/.test(token) && /\d/.test(token))) return false;
  return shannonEntropy(token) > threshold;
}

const LOWER = charTable(/[a-z]/);
const DIGIT = charTable(/\d/);
const PATH_CHARS = charTable(/[A-Za-z0-9_.\/-]/);

/**
 * `abc-def_gh12-ij`: lower-case words joined by `-` or `_`, each joined word with up to two
 * trailing digits. One pass over the characters (a regex like `^[a-z]+(?:[_-][a-z]+\d{0,2})+$`
 * says the same, but the detectors stay loops so that no input can make them backtrack).
 */
export function isWordChain(token: string): boolean {
  let i = 0;
  const n = token.length;
  const word = (): boolean => {
    const s = i;
    while (i < n && inTable(LOWER, token.charCodeAt(i))) i++;
    return i > s;
  };
  if (!word()) return false;
  let joined = 0;
  while (i < n) {
    const c = token[i];
    if (c !== '-' && c !== '_') return false;
    i++;
    if (!word()) return false;
    let digits = 0;
    while (i < n && digits < 2 && inTable(DIGIT, token.charCodeAt(i))) {
      i++;
      digits++;
    }
    joined++;
  }
  return joined > 0;
}

/** `a/b.c/d-e/`: path segments of `[A-Za-z0-9_.-]` separated by single slashes, with at least one slash. */
export function isPath(token: string): boolean {
  let slash = false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (!inTable(PATH_CHARS, c)) return false;
    if (c === 47) {
      if (i > 0 && token.charCodeAt(i - 1) === 47) return false;
      slash = true;
    }
  }
  return slash && token !== '/';
}
