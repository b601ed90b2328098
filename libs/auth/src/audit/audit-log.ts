import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BUS, type Bus } from '@gatehouse/bus';
import { AuditTopic, type AuditEvent } from '@gatehouse/contracts';
import type { AuthRequest } from '../auth-request';
import type { Principal } from '../principal';
import { redactSecrets } from './redact';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  teams: readonly string[];
  before: unknown;
  after: unknown;
  status: number;
}

/** The caller's address: the socket's peer, or the first hop our own front door recorded when the request was forwarded over loopback (standalone workers). */
export function sourceIp(req: Pick<AuthRequest, 'headers' | 'socket' | 'ip'>): string {
  const peer = req.socket?.remoteAddress ?? req.ip ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  if (typeof forwarded === 'string' && /^(127\.|::1$|::ffff:127\.)/.test(peer)) {
    const hops = forwarded.split(',').map((h) => h.trim()).filter(Boolean);
    if (hops.length > 0) return hops[hops.length - 1]!;
  }
  return peer;
}

/** Publishes audit events to gatehouse.audit.v1 (never awaited: the bus buffers and retries), secrets removed from before/after. */
@Injectable()
export class AuditLog {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  record(principal: Pick<Principal, 'actor' | 'role'>, req: Pick<AuthRequest, 'headers' | 'socket' | 'ip' | 'requestId'>, entry: AuditEntry): AuditEvent {
    const event: AuditEvent = {
      event_id: randomUUID(),
      ts: Date.now(),
      actor: principal.actor,
      role: principal.role,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      teams: [...new Set(entry.teams)],
      before: entry.before === undefined ? null : redactSecrets(entry.before),
      after: entry.after === undefined ? null : redactSecrets(entry.after),
      request_id: req.requestId ?? randomUUID(),
      source_ip: sourceIp(req),
      status: entry.status,
    };
    this.bus.publish(AuditTopic, event.event_id, event);
    return event;
  }
}
