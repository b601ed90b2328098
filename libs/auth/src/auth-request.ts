import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './principal';

/** The part of a Fastify request the auth layer reads and annotates. */
export interface AuthRequest {
  method?: string;
  headers: IncomingHttpHeaders;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  ip?: string;
  socket?: { remoteAddress?: string };
  principal?: Principal;
  /** The teams the route's scope resolved to (the audit log files the event under them). */
  scopeTeams?: readonly string[];
  requestId?: string;
}
