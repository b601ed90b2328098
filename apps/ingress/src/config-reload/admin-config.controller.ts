import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { GatewayError } from '@gatehouse/contracts';
import { reloadOtherWorkers } from '@gatehouse/runtime';
import { Audited, AuthzGuard, Requires } from '@gatehouse/auth';
import { ConfigReloader } from './config-reloader';

/** POST /admin/config/reload: re-reads the config file (providers, models, pricing, teams) in every worker. */
@Controller('admin/config')
@UseGuards(AuthzGuard)
export class AdminConfigController {
  constructor(private readonly reloader: ConfigReloader) {}

  @Post('reload')
  @HttpCode(200)
  @Requires('config:write', 'global')
  @Audited({ action: 'config.reload', target: 'config', id: (_req, answer) => String((answer as { source?: unknown }).source ?? '') })
  reload() {
    const result = this.reloader.reload('admin');
    if (!result.ok) {
      throw new GatewayError(400, 'invalid_request_error', `config reload refused, the running config stays: ${result.error}`, { code: 'invalid_config' });
    }
    reloadOtherWorkers();
    return result;
  }
}
