import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { GatewayError } from '@gatehouse/contracts';
import { AdminGuard, reloadOtherWorkers } from '@gatehouse/runtime';
import { ConfigReloader } from './config-reloader';

/** POST /admin/config/reload: re-reads the config file (providers, models, pricing, teams) in every worker. */
@Controller('admin/config')
@UseGuards(AdminGuard)
export class AdminConfigController {
  constructor(private readonly reloader: ConfigReloader) {}

  @Post('reload')
  @HttpCode(200)
  reload() {
    const result = this.reloader.reload('admin');
    if (!result.ok) {
      throw new GatewayError(400, 'invalid_request_error', `config reload refused, the running config stays: ${result.error}`, { code: 'invalid_config' });
    }
    reloadOtherWorkers();
    return result;
  }
}
