export * from './topic';
export * from './trace';
export * from './verdict';
export * from './policy';
export * from './key';
export * from './team';
export * from './dlq';
export * from './cache';
export * from './gateway-error';
export * from './glob';
export * from './job';
export * from './own';
export * from './alert';
export * from './backtest';
export * from './service-token';
export * from './audit';

import { TracesTopic } from './trace';
import { VerdictsTopic } from './verdict';
import { PoliciesTopic, PolicyVersionsTopic } from './policy';
import { KeysTopic } from './key';
import { TeamsTopic } from './team';
import { DlqTopic } from './dlq';
import { AlertFailuresTopic, AlertsTopic } from './alert';
import { TokensTopic } from './service-token';
import { AuditTopic } from './audit';

export const ALL_TOPICS = [TracesTopic, VerdictsTopic, PoliciesTopic, PolicyVersionsTopic, KeysTopic, TeamsTopic, DlqTopic, AlertsTopic, AlertFailuresTopic, TokensTopic, AuditTopic] as const;
