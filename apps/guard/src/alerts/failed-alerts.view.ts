import { Injectable } from '@nestjs/common';
import { CompactedView } from '@gatehouse/bus';
import { AlertFailuresTopic, type AlertFailure } from '@gatehouse/contracts';

/** Deliveries that failed every attempt, by delivery id (gatehouse.alert-failures.v1). */
@Injectable()
export class FailedAlerts extends CompactedView<AlertFailure> {
  constructor() {
    super(AlertFailuresTopic);
  }
}
