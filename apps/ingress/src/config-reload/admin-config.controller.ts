import { Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { GatewayError } from '@gatehouse/contracts';
import { AdminGuard } from '@gatehouse/runtime';
import { ConfigReloader } from './config-reloader';
import { RELOAD_FANOUT, type ReloadFanout } from './reload-fanout';

/** POST /admin/config/reload: re-reads the config file (providers, models, pricing, teams) in every worker. */
@Controller('admin/config')
@UseGuards(AdminGuard)
export class AdminConfigController {
  constructor(
    private readonly reloader: ConfigReloader,
    @Inject(RELOAD_FANOUT) private readonly fanout: ReloadFanout,
  ) {}

  @Post('reload')
  @HttpCode(200)
  reload() {
    const result = this.reloader.reload('admin');
    if (!result.ok) {
      throw new GatewayError(400, 'invalid_request_error', `config reload refused, the running config stays: ${result.error}`, { code: 'invalid_config' });
    }
    this.fanout.others();
    return result;
  }
}
