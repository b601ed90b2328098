import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { answerId, Audited, AuthzGuard, idParam, CurrentPrincipal, Requires, seesTeam, type Principal } from '@gatehouse/auth';
import { CreateKeySchema, KeyDirectory, KeyService, keyView, PatchKeySchema } from '@gatehouse/keys';
import { parseOr400 } from '@gatehouse/runtime';
import { keyBefore, keyTeam, newKeyTeam, patchedKeyTeams } from './key-scopes';

/** The keys admin API: the secret is returned once; only its SHA-256 is stored and published. A team-admin works on its own teams' keys. */
@Controller('admin/keys')
@UseGuards(AuthzGuard)
export class AdminKeysController {
  constructor(
    private readonly keys: KeyService,
    private readonly directory: KeyDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  @Requires('keys:write', newKeyTeam)
  @Audited({ action: 'key.create', target: 'key', id: answerId })
  create(@Body() body: unknown) {
    const { record, secret } = this.keys.create(parseOr400(CreateKeySchema, body));
    return { ...keyView(record), key: secret };
  }

  @Get()
  @Requires('keys:read', 'caller')
  list(@CurrentPrincipal() principal: Principal) {
    return { data: this.directory.all().filter((k) => seesTeam(principal, k.team)).map((k) => keyView(k)) };
  }

  @Get(':id')
  @Requires('keys:read', keyTeam)
  get(@Param('id') id: string) {
    return keyView(this.keys.get(id));
  }

  @Patch(':id')
  @Requires('keys:write', patchedKeyTeams)
  @Audited({ action: 'key.update', target: 'key', id: idParam, before: keyBefore })
  patch(@Param('id') id: string, @Body() body: unknown) {
    return keyView(this.keys.patch(id, parseOr400(PatchKeySchema, body)));
  }

  @Delete(':id')
  @Requires('keys:write', keyTeam)
  @Audited({ action: 'key.revoke', target: 'key', id: idParam, before: keyBefore })
  revoke(@Param('id') id: string) {
    return keyView(this.keys.revoke(id));
  }
}
