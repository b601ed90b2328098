import { Redis } from 'ioredis';
import { GatewayError } from '@gatehouse/contracts';
import type { MintResult, VersionCounter } from './version-counter.port';

/** KEYS[1] the counter; ARGV[1] the floor; ARGV[2] the expected latest version or "" (any). Answers {1, minted} or {0, latest}. */
const MINT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
if floor > current then current = floor end
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= current then return {0, current} end
redis.call('SET', KEYS[1], current + 1)
return {1, current + 1}
`;

type MintingRedis = Redis & { mintPolicyVersion(key: string, floor: string, expected: string): Promise<[number, number]> };

/** One counter per policy id in Redis (gatehouse:policy-version:<id>), minted by a Lua compare-and-set: no two replicas get the same version. */
export class RedisVersionCounter implements VersionCounter {
  private readonly redis: MintingRedis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true }) as MintingRedis;
    this.redis.defineCommand('mintPolicyVersion', { numberOfKeys: 1, lua: MINT });
  }

  async mint(id: string, floor: number, expected: number | null): Promise<MintResult> {
    let ok: number, n: number;
    try {
      [ok, n] = await this.redis.mintPolicyVersion(`gatehouse:policy-version:${id}`, String(floor), expected === null ? '' : String(expected));
    } catch {
      throw new GatewayError(503, 'api_error', 'the policy version counter (Redis) is unavailable; nothing was published, retry later', { code: 'version_counter_unavailable' });
    }
    return ok === 1 ? { ok: true, version: n } : { ok: false, current: n };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
