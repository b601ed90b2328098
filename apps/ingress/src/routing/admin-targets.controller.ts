import { Controller, Get, UseGuards } from '@nestjs/common';
import { AdminGuard } from '@gatehouse/runtime';
import { TargetBoard } from '@gatehouse/routing';

/** Upstream targets as this process sees them: breaker state, latency, error rate, last error. */
@Controller('admin/targets')
@UseGuards(AdminGuard)
export class AdminTargetsController {
  constructor(private readonly board: TargetBoard) {}

  @Get()
  list() {
    return { pid: process.pid, data: this.board.view() };
  }
}
