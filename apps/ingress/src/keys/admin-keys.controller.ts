import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { BUS, type Bus } from '@gatehouse/bus/bus.port';
import { KeysTopic, type KeyRecord } from '@gatehouse/contracts/key';
import { AdminGuard } from '@gatehouse/runtime/admin.guard';
import { parseOr400 } from '@gatehouse/runtime/zod-body';
import { CreateKeySchema, PatchKeySchema } from './admin-keys.schema';
import { sha256Hex } from './key-hash';
import { KEY_STORE } from './key-sync.service';
import type { KeyStore } from './key-store';

/** The keys admin API: the secret is returned once; only its SHA-256 is stored and published. */
@Controller('admin/keys')
@UseGuards(AdminGuard)
export class AdminKeysController {
  constructor(
    @Inject(KEY_STORE) private readonly store: KeyStore,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown) {
    const input = parseOr400(CreateKeySchema, body);
    const secret = `gh-${randomBytes(24).toString('base64url')}`;
    const record: KeyRecord = {
      id: `key_${randomBytes(8).toString('hex')}`,
      ...input,
      expires_at: input.expires_at ? Date.parse(input.expires_at) : null,
      key_sha256: sha256Hex(secret),
      prefix: secret.slice(0, 7),
      created_at: Date.now(),
      revoked_at: null,
      source: 'admin',
    };
    this.save(record);
    return { ...view(record), key: secret };
  }

  @Get()
  list() {
    return { data: this.store.all().map(view) };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return view(this.find(id));
  }

  @Patch(':id')
  patch(@Param('id') id: string, @Body() body: unknown) {
    const current = this.find(id);
    const change = parseOr400(PatchKeySchema, body);
    const next: KeyRecord = {
      ...current,
      ...change,
      expires_at: change.expires_at === undefined ? current.expires_at : change.expires_at ? Date.parse(change.expires_at) : null,
    };
    this.save(next);
    return view(next);
  }

  @Delete(':id')
  revoke(@Param('id') id: string) {
    const current = this.find(id);
    const next = { ...current, revoked_at: current.revoked_at ?? Date.now() };
    this.save(next);
    return view(next);
  }

  private find(id: string): KeyRecord {
    const k = this.store.get(id);
    if (!k) throw new NotFoundException({ error: { message: `no key with id "${id}"`, param: 'id' } });
    return k;
  }

  private save(record: KeyRecord): void {
    this.store.apply(record.id, record);
    this.bus.publish(KeysTopic, record.id, record);
  }
}

function view(k: KeyRecord) {
  const { key_sha256: _hash, ...rest } = k;
  return { ...rest, status: k.revoked_at ? 'revoked' : k.expires_at !== null && k.expires_at <= Date.now() ? 'expired' : 'active' };
}

