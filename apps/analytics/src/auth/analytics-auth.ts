import { Injectable } from '@nestjs/common';
import { AdminGuard } from '@gatehouse/runtime/admin.guard';
import { resolveCaller, type AnalyticsCaller } from './analytics-caller';
import { KeyDirectory } from './key-directory';

/** Resolves the caller of an analytics request from its headers (admin token or an analytics key). */
@Injectable()
export class AnalyticsAuth {
  readonly keys = new KeyDirectory();

  constructor(private readonly admin: AdminGuard) {}

  caller(headers: Record<string, string | string[] | undefined>): AnalyticsCaller {
    return resolveCaller(headers, this.admin, this.keys);
  }
}
