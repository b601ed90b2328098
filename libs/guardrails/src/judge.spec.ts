import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callJudge, parseJudgeAnswer, setJudgeEndpoint } from './judge';

describe('llm judge', () => {
  it('parses the JSON verdict, also inside prose or fences; a score at the threshold fails', () => {
    expect(parseJudgeAnswer('{"verdict":"fail","score":0.9,"reason":"weapons"}', 0.5)).toEqual({ pass: false, score: 0.9, spans: [], details: ['llm_judge:weapons'] });
    expect(parseJudgeAnswer('Sure:\n```json\n{"verdict": "pass", "score": 0.1}\n```', 0.5)).toMatchObject({ pass: true, details: [] });
    expect(parseJudgeAnswer('{"score": 0.5}', 0.5).pass).toBe(false);
    expect(parseJudgeAnswer('{"verdict": "fail"}', 0.5)).toMatchObject({ pass: false, score: 1 });
    expect(() => parseJudgeAnswer('I cannot judge this', 0.5)).toThrow('not JSON');
    expect(() => parseJudgeAnswer('{"verdict": "maybe"}', 0.5)).toThrow('does not match');
  });

  describe('callJudge', () => {
    let server: Server;
    let answer = '';
    let seen: { auth?: string; body?: { model: string; messages: Array<{ content: string }> } } = {};
    beforeAll(async () => {
      server = createServer((req, res) => {
        let raw = '';
        req.on('data', (c) => (raw += c));
        req.on('end', () => {
          seen = { auth: req.headers.authorization, body: JSON.parse(raw) };
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: answer } }] }));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      setJudgeEndpoint({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'judge-key', team: 'gatehouse-system' });
    });
    afterAll(async () => {
      setJudgeEndpoint(null);
      await new Promise((r) => server.close(r));
    });
    const config = { model: 'judge-model', rubric: 'no weapons', threshold: 0.5, timeout_ms: 2000 };

    it('asks the configured model with the rubric and the judge key', async () => {
      answer = '{"verdict":"fail","score":0.8}';
      expect((await callJudge(config, 'text', 'input', 'team-a')).pass).toBe(false);
      expect(seen.auth).toBe('Bearer judge-key');
      expect(seen.body!.model).toBe('judge-model');
      expect(seen.body!.messages[0]!.content).toContain('no weapons');
      expect(seen.body!.messages[1]!.content).toBe('text');
    });

    it('never judges the judge team (its own calls)', async () => {
      seen = {};
      expect((await callJudge(config, 'text', 'input', 'gatehouse-system')).pass).toBe(true);
      expect(seen).toEqual({});
    });

    it('errors without an endpoint', async () => {
      setJudgeEndpoint(null);
      await expect(callJudge(config, 'text', 'input', null)).rejects.toThrow('no judge endpoint');
    });
  });
});
