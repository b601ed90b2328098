import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { CreateKeySchema, KeyDirectory, KeyService, keyView, PatchKeySchema } from '@gatehouse/keys';
import { AdminGuard, parseOr400 } from '@gatehouse/runtime';

/** The keys admin API: the secret is returned once; only its SHA-256 is stored and published. */
@Controller('admin/keys')
@UseGuards(AdminGuard)
export class AdminKeysController {
  constructor(
    private readonly keys: KeyService,
    private readonly directory: KeyDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown) {
    const { record, secret } = this.keys.create(parseOr400(CreateKeySchema, body));
    return { ...keyView(record), key: secret };
  }

  @Get()
  list() {
    return { data: this.directory.all().map((k) => keyView(k)) };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return keyView(this.keys.get(id));
  }

  @Patch(':id')
  patch(@Param('id') id: string, @Body() body: unknown) {
    return keyView(this.keys.patch(id, parseOr400(PatchKeySchema, body)));
  }

  @Delete(':id')
  revoke(@Param('id') id: string) {
    return keyView(this.keys.revoke(id));
  }
}
