import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Verdict } from '@gatehouse/contracts';

/** A webhook receiver for alert tests: every POST body, parsed and as received, answered 200. */
export interface AlertReceiver {
  server: Server;
  bodies: Array<Record<string, unknown>>;
  raw: string[];
  close(): Promise<void>;
}

export function receiveAlerts(port: number): Promise<AlertReceiver> {
  const bodies: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      raw.push(text);
      bodies.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(200).end('ok');
    });
  });
  const close = () => new Promise<void>((done) => server.close(() => done()));
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, bodies, raw, close })));
}

/** An enforced regex deny of `policy` (version 1) for request `<policy>-req-<n>`, as the ingress publishes it. */
export function denyVerdict(policy: string, n: number): Verdict {
  return {
    verdict_id: randomUUID(), request_id: `${policy}-req-${n}`, ts: Date.now(), policy_id: policy, policy_version: 1, check_index: 0,
    check_type: 'regex', stage: 'input', action: 'deny', outcome: 'fail', mode: 'enforce', applied: true, score: null,
    details: ['regex'], async: false, key_id: 'key-1', team: 'qa', model: 'gpt-4o-mini',
  };
}
