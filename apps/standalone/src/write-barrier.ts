import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { mergeMap, type Observable } from 'rxjs';
import { BUS, type Bus, type IpcWorkerBus } from '@gatehouse/bus';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isWrite = (method: string | undefined): boolean => WRITES.has((method ?? '').toUpperCase());

export const hasSync = (bus: Bus): bus is IpcWorkerBus => typeof (bus as Partial<IpcWorkerBus>).sync === 'function';

/**
 * Read-your-writes across standalone workers: a successful admin write (a key created, patched or
 * revoked in this worker) is answered only once every worker has applied it, so the caller's next
 * request sees it whichever worker takes it.
 */
@Injectable()
export class WriteBarrierInterceptor implements NestInterceptor {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const bus = this.bus;
    if (!isWrite(ctx.switchToHttp().getRequest<{ method?: string }>().method) || !hasSync(bus)) return next.handle();
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await bus.sync();
        return value;
      }),
    );
  }
}
