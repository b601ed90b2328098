import { Agent, request } from 'node:http';
import { startMockUpstream, type MockUpstream } from './server';

const json = (r: Response): Promise<any> => r.json();

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

describe('mock upstream: behaviours, recording and control API', () => {
  let mock: MockUpstream;
  beforeAll(async () => {
    mock = await startMockUpstream();
  });
  afterEach(() => mock.reset());
  afterAll(() => mock.close());

  const post = (body: unknown = chat, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${mock.url}/v1/chat/completions?trace=1`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });

  it('records every request: method, path, query, lower-cased headers, parsed body, time', async () => {
    const before = Date.now();
    await post(chat, { 'X-Custom-Header': 'Value' });
    await fetch(`${mock.url}/v1/messages`, { method: 'POST', body: 'not json' });
    expect(mock.requests).toHaveLength(2);
    expect(mock.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', query: { trace: '1' }, body: chat });
    expect(mock.requests[0].headers['x-custom-header']).toBe('Value');
    expect(mock.requests[0].time).toBeGreaterThanOrEqual(before);
    expect(mock.requests[1].body).toBe('not json');
  });

  it('uses enqueued behaviours first-in first-out, then the default', async () => {
    mock.enqueue({ text: 'first' });
    mock.enqueue({ text: 'second' });
    mock.setDefault({ text: 'default' });
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await json(await post())).choices[0].message.content);
    expect(texts).toEqual(['first', 'second', 'default']);
  });

  it('takes a behaviour from the x-mock-behaviour header and rejects a malformed one', async () => {
    const res = await post(chat, { 'x-mock-behaviour': JSON.stringify({ status: 500, error_message: 'boom' }) });
    expect(res.status).toBe(500);
    expect((await json(res)).error).toMatchObject({ message: 'boom', type: 'server_error' });
    const bad = await post(chat, { 'x-mock-behaviour': '{"status":"x"}' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/x-mock-behaviour/);
  });

  it('waits latency_ms before the headers', async () => {
    mock.enqueue({ latency_ms: 150 });
    const start = Date.now();
    const res = await post();
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
  });

  it('sends headers at once but the body after ttfb_ms, and paces stream chunks', async () => {
    mock.enqueue({ ttfb_ms: 150 });
    const start = Date.now();
    const res = await post();
    const headersAt = Date.now() - start;
    await res.text();
    expect(headersAt).toBeLessThan(120);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);

    mock.enqueue({ chunk_delay_ms: 40, chunks: 4 });
    const t0 = Date.now();
    await (await post({ ...chat, stream: true })).text();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4 * 40 - 10);
  });

  it('destroys the socket on reset and mid-stream on reset_after_chunks', async () => {
    mock.enqueue({ reset: true });
    await expect(post()).rejects.toThrow();

    mock.enqueue({ reset_after_chunks: 2 });
    const res = await post({ ...chat, stream: true });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('never answers on hang, so a client timeout fires', async () => {
    mock.enqueue({ hang: true });
    const start = Date.now();
    await expect(post(chat, {}, AbortSignal.timeout(200))).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - start).toBeGreaterThanOrEqual(190);
  });

  it('is controllable over HTTP by another process', async () => {
    const queued = await fetch(`${mock.url}/_mock/behaviours`, { method: 'POST', body: JSON.stringify([{ status: 503 }, { text: 'ok' }]) });
    expect(await json(queued)).toEqual({ queued: 2 });
    expect((await post()).status).toBe(503);
    expect((await json(await post())).choices[0].message.content).toBe('ok');
    const recorded = await json(await fetch(`${mock.url}/_mock/requests`));
    expect(recorded).toHaveLength(2);
    await fetch(`${mock.url}/_mock/requests`, { method: 'DELETE' });
    expect(await json(await fetch(`${mock.url}/_mock/requests`))).toEqual([]);
    const invalid = await fetch(`${mock.url}/_mock/behaviours`, { method: 'POST', body: JSON.stringify({ status: 'bad' }) });
    expect(invalid.status).toBe(400);
  });

  it('answers unknown routes with 404 and keeps connections alive between requests', async () => {
    const res = await fetch(`${mock.url}/v2/unknown`, { method: 'POST' });
    expect(res.status).toBe(404);
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const agentRequest = () =>
      new Promise<void>((resolve, reject) => {
        const req = request(`${mock.url}/v1/models`, { agent: keepAlive }, (r) => {
          sockets.add(r.socket);
          r.resume().on('end', resolve);
        });
        req.on('error', reject).end();
      });
    await agentRequest();
    await agentRequest();
    keepAlive.destroy();
    expect(sockets.size).toBe(1);
  });

  it('stalls a stream after stall_after_chunks writes and keeps the connection open', async () => {
    mock.enqueue({ text: 'abcdef', chunks: 6, stall_after_chunks: 3 });
    const res = await post({ ...chat, stream: true });
    const reader = res.body!.getReader();
    let got = '';
    for (;;) {
      const next = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 300))]);
      if (next === null || next.done) break;
      got += new TextDecoder().decode(next.value);
    }
    const events = got.split('\n\n').filter((e) => e.startsWith('data: {'));
    expect(events).toHaveLength(3);
    expect(mock.requests[0].closedEarly).toBe(false);
    await reader.cancel();
  });

  it('fails only fail_ratio of the requests with the status', async () => {
    mock.setDefault({ status: 500, fail_ratio: 0.5 });
    const statuses = await Promise.all(Array.from({ length: 200 }, () => post().then((r) => r.arrayBuffer().then(() => r.status))));
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
    expect(statuses.filter((s) => s === 200)).toHaveLength(200 - failed);
  });
});
