import { AbortFlag } from './abort-flag';

describe('AbortFlag', () => {
  it('tells its listeners once and stays aborted', () => {
    const flag = new AbortFlag();
    const heard: number[] = [];
    flag.once('abort', () => heard.push(1));
    expect(flag.aborted).toBe(false);
    flag.abort();
    flag.abort();
    expect(flag.aborted).toBe(true);
    expect(heard).toEqual([1]);
  });
});
