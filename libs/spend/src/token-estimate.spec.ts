import { tokensUsed } from './token-estimate';

describe('tokensUsed', () => {
  const reserved = { input: 50, output: 200 };
  const usage = (input_tokens: number, output_tokens: number) => ({ input_tokens, output_tokens });

  it('a complete response: its reported usage, else the reservation', () => {
    expect(tokensUsed({ usage: usage(30, 470), complete: true, outputChars: 12 }, reserved)).toBe(500);
    expect(tokensUsed({ usage: null, complete: true, outputChars: 0 }, reserved)).toBe(250);
  });

  it('ended early: reported input, and the larger of reported output and the output passed on (4 characters a token)', () => {
    expect(tokensUsed({ usage: usage(40, 1), complete: false, outputChars: 401 }, reserved)).toBe(40 + 101);
    expect(tokensUsed({ usage: usage(40, 300), complete: false, outputChars: 400 }, reserved)).toBe(340);
  });

  it('ended early without usage: the input estimate plus the output passed on; nothing when nothing came back', () => {
    expect(tokensUsed({ usage: null, complete: false, outputChars: 400 }, reserved)).toBe(150);
    expect(tokensUsed({ usage: null, complete: false, outputChars: 0 }, reserved)).toBe(0);
  });
});
