import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { parseOr400 } from '@gatehouse/runtime';
import { answerId, Audited, idParam } from '../audit/audited.decorator';
import { AuthzGuard, CurrentPrincipal } from '../authz.guard';
import type { Principal } from '../principal';
import { Requires } from '../requires.decorator';
import type { AuthRequest } from '../auth-request';
import { TokenDirectory } from './token-directory';
import { CreateTokenSchema } from './token-input.schema';
import { TokenService, tokenView } from './token.service';

const currentToken = (req: AuthRequest, ref: ModuleRef) => {
  const t = ref.get(TokenDirectory, { strict: false }).get(idParam(req));
  return t ? tokenView(t) : null;
};

/** Service tokens: a role and teams for API callers; the secret is answered once, only its SHA-256 is stored. */
@Controller('admin/tokens')
@UseGuards(AuthzGuard)
export class TokensController {
  constructor(
    private readonly tokens: TokenService,
    private readonly directory: TokenDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  @Requires('tokens:write', 'global')
  @Audited({ action: 'token.create', target: 'token', id: answerId })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { record, secret } = this.tokens.create(parseOr400(CreateTokenSchema, body), principal.actor);
    return { ...tokenView(record), token: secret };
  }

  @Get()
  @Requires('tokens:read', 'global')
  list() {
    return { data: this.directory.all().map(tokenView) };
  }

  @Delete(':id')
  @Requires('tokens:write', 'global')
  @Audited({ action: 'token.revoke', target: 'token', id: idParam, before: currentToken })
  revoke(@Param('id') id: string) {
    return tokenView(this.tokens.revoke(id));
  }
}
