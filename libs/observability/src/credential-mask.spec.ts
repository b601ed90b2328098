import { CredentialMask, installCredentialMask } from './credential-mask';
import { createLogger } from './logger';

const HEX = '3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a';
const GROQ = 'gsk_Zx8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz0Xc2Vb';
const QUOTED = 'pa"ss\\word-0123';

describe('CredentialMask', () => {
  const mask = new CredentialMask([HEX, GROQ, QUOTED, 'short', undefined]);

  it('masks every configured value wherever it occurs, as written, JSON-escaped or URL-encoded', () => {
    expect(mask.mask(`Incorrect API key provided: ${HEX}.`)).toBe('Incorrect API key provided: ***.');
    expect(mask.mask(`{"error":"bad key ${GROQ}","again":"${GROQ}"}`)).toBe('{"error":"bad key ***","again":"***"}');
    expect(mask.mask(JSON.stringify({ m: `x ${QUOTED} y` }))).toBe('{"m":"x *** y"}');
    expect(mask.mask(`GET /x?key=${encodeURIComponent(QUOTED)}`)).toBe('GET /x?key=***');
  });

  it('leaves short values and unrelated text alone', () => {
    expect(mask.mask('a short message about short keys')).toBe('a short message about short keys');
    expect(new CredentialMask([]).mask(`key ${HEX}`)).toBe(`key ${HEX}`);
  });

  it('masks log lines of a logger created after it was installed, whatever field carries the value', () => {
    const lines: string[] = [];
    installCredentialMask(mask);
    try {
      const log = createLogger('info', { write: (line: string) => void lines.push(line) });
      log.error({ err: new Error(`upstream said ${HEX}`), detail: { nested: GROQ } }, `failed with ${GROQ}`);
    } finally {
      installCredentialMask(new CredentialMask([]));
    }
    const out = lines.join('');
    expect(out).toContain('upstream said ***');
    expect(out).not.toContain(HEX);
    expect(out).not.toContain(GROQ);
  });
});
