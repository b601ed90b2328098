import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { TargetBoard } from '@gatehouse/routing';

/** Upstream targets as this process sees them: breaker state, latency, error rate, last error. */
@Controller('admin/targets')
@UseGuards(AuthzGuard)
export class AdminTargetsController {
  constructor(private readonly board: TargetBoard) {}

  @Get()
  @Requires('targets:read', 'global')
  list() {
    return { pid: process.pid, data: this.board.view() };
  }
}
