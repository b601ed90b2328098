import { ResponseCapture } from './response-capture';

describe('ResponseCapture', () => {
  it('joins strings and byte chunks into the body as sent, multi-byte characters split across chunks included', () => {
    const c = new ResponseCapture(1024);
    const euro = Buffer.from('€');
    c.push('data: a');
    c.push(euro.subarray(0, 1));
    c.push(euro.subarray(1));
    c.complete('\n\n');
    expect(c.completed).toBe(true);
    expect(c.body()).toBe('data: a€\n\n');
  });

  it('is not complete until complete() is called (an aborted or failed stream)', () => {
    const c = new ResponseCapture(1024);
    c.push('data: partial\n\n');
    expect(c.completed).toBe(false);
  });

  it('drops what it holds and marks itself oversize past the byte limit', () => {
    const c = new ResponseCapture(10);
    c.push('12345');
    c.push('678901');
    c.complete('x');
    expect(c.oversize).toBe(true);
    expect(c.body()).toBe('');
  });
});
