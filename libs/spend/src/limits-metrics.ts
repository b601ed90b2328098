import { counter } from '@gatehouse/observability';

/** Requests answered 429/503 by the limiter, by reason (rpm, tpm, budget, unavailable) and scope (key, team). */
export const limitRejections = counter('gatehouse_limit_rejections_total', 'Requests rejected by rate limits and budgets', ['reason', 'scope']);

/** Limiter calls that could not use the counters (redis, seed) and what was done (served without limits or 503). */
export const limitDegraded = counter('gatehouse_limits_degraded_total', 'Requests served or refused while the limit counters or the spend source were unavailable', ['cause', 'action']);

const admissions = counter('gatehouse_limits_admissions_total', 'Limited requests admitted, by how: from this replica\'s quota lease (no call) or by a counters call', ['via']);
/** Admitted requests by how (see LeaseBook): the share served from leases is what the counters were spared. */
export const admittedVia = { lease: admissions.labels('lease'), counters: admissions.labels('counters') };
