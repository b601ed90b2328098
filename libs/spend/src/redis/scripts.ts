/**
 * The Lua scripts of the Redis counters. KEYS come in threes per scope: the window log (a sorted set of
 * "<request id>:<tokens>" scored by admission time), the window's token total, the budget hash
 * (spent, seeded). See counters.port.ts for the semantics; memory-counters.ts implements the same.
 */

/**
 * One call applies a batch: first settlements, then admissions (or peeks), each atomically in order,
 * so an admission sees every settlement of its batch and of earlier calls.
 *
 * KEYS: the three keys of each scope, settlements' scopes first, then the admissions' scopes, in
 * ARGV order. ARGV: window ms, settlement count, admission count; then per settlement: id,
 * admitted-at, estimated tokens, actual tokens, cost (decimal string), scope count, and per scope
 * windowed (0/1), budgeted (0/1), budget expire-at ms (0 = never); then per admission: mode
 * ("admit" | "peek"), now, member ("<id>:<tokens>"), tokens, scope count, and per scope rpm, tpm, budget.
 *
 * Returns, per admission: code, scope index (1-based), retry-after ms (-1 = none), then per scope:
 * requests, tokens, oldest (-1), spent, seeded. code: 0 admitted (or peeked), 1 rpm, 2 tpm, 3 budget,
 * 4 budget counter not seeded.
 */
export const BATCH_LUA = `
local window = tonumber(ARGV[1])
local settlements, admissions = tonumber(ARGV[2]), tonumber(ARGV[3])
local a, k = 4, 0
local function weight(m) return tonumber(string.match(m, ':(%d+)$')) end

for _ = 1, settlements do
  local id, at, est, actual, cost, n = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], tonumber(ARGV[a + 5])
  local paid = tonumber(cost) > 0
  a = a + 6
  for _ = 1, n do
    local log, tok, bud = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
    if ARGV[a] == '1' and est ~= actual then
      if redis.call('ZREM', log, id .. ':' .. est) == 1 then
        redis.call('ZADD', log, at, id .. ':' .. actual)
        redis.call('INCRBY', tok, tonumber(actual) - tonumber(est))
      end
    end
    if ARGV[a + 1] == '1' and paid then
      redis.call('HINCRBYFLOAT', bud, 'spent', cost)
      local exp = tonumber(ARGV[a + 2])
      if exp > 0 then redis.call('PEXPIREAT', bud, exp) end
    end
    a = a + 3
    k = k + 3
  end
end

local out = {}
for _ = 1, admissions do
  local mode, now, member, tokens, n = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  a = a + 5
  local st = {}
  for i = 1, n do
    local b = a + (i - 1) * 3
    local s = { rpm = tonumber(ARGV[b]), tpm = tonumber(ARGV[b + 1]), budget = tonumber(ARGV[b + 2]),
                count = 0, total = 0, oldest = -1, spent = '0', seeded = 1,
                log = KEYS[k + 3 * i - 2], tok = KEYS[k + 3 * i - 1], bud = KEYS[k + 3 * i] }
    if s.rpm > 0 or s.tpm > 0 then
      local cutoff = now - window
      local gone = redis.call('ZRANGEBYSCORE', s.log, '-inf', cutoff)
      if #gone > 0 then
        local freed = 0
        for _, m in ipairs(gone) do freed = freed + weight(m) end
        redis.call('ZREMRANGEBYSCORE', s.log, '-inf', cutoff)
        if freed > 0 then redis.call('DECRBY', s.tok, freed) end
      end
      s.count = redis.call('ZCARD', s.log)
      s.total = tonumber(redis.call('GET', s.tok) or '0')
      if s.count == 0 and s.total ~= 0 then redis.call('DEL', s.tok) s.total = 0 end
      if s.count > 0 then s.oldest = tonumber(redis.call('ZRANGE', s.log, 0, 0, 'WITHSCORES')[2]) end
    end
    if s.budget > 0 then
      local v = redis.call('HMGET', s.bud, 'spent', 'seeded')
      s.spent = v[1] or '0'
      if not v[2] then s.seeded = 0 end
    end
    st[i] = s
  end
  a = a + 3 * n
  k = k + 3 * n
  local code, idx, retry = 0, 0, -1
  if mode == 'admit' then
    for i = 1, n do
      local s = st[i]
      if s.budget > 0 and s.seeded == 0 then code, idx = 4, i break end
      if s.rpm > 0 and s.count + 1 > s.rpm then
        code, idx, retry = 1, i, s.oldest + window - now
        break
      end
      if s.tpm > 0 and s.total + tokens > s.tpm then
        code, idx = 2, i
        if tokens <= s.tpm then
          local need, freed = s.total + tokens - s.tpm, 0
          local entries = redis.call('ZRANGE', s.log, 0, 999, 'WITHSCORES')
          retry = window
          for j = 1, #entries, 2 do
            freed = freed + weight(entries[j])
            if freed >= need then retry = tonumber(entries[j + 1]) + window - now break end
          end
        end
        break
      end
      if s.budget > 0 and tonumber(s.spent) >= s.budget then code, idx = 3, i break end
    end
    if code == 0 then
      for i = 1, n do
        local s = st[i]
        if s.rpm > 0 or s.tpm > 0 then
          redis.call('ZADD', s.log, now, member)
          redis.call('INCRBY', s.tok, tokens)
          redis.call('PEXPIRE', s.log, window + 1000)
          redis.call('PEXPIRE', s.tok, window + 1000)
          s.count = s.count + 1
          s.total = s.total + tokens
          if s.oldest < 0 then s.oldest = now end
        end
      end
    end
  end
  table.insert(out, code)
  table.insert(out, idx)
  table.insert(out, retry)
  for i = 1, n do
    local s = st[i]
    table.insert(out, s.count)
    table.insert(out, s.total)
    table.insert(out, s.oldest)
    table.insert(out, s.spent)
    table.insert(out, s.seeded)
  end
end
return out
`;

/** KEYS[1] the budget hash; ARGV: spend read from the analytics store, expire-at. The first seeder wins (spend = max(counted, seed)). */
export const SEED_LUA = `
if redis.call('HEXISTS', KEYS[1], 'seeded') == 1 then return redis.call('HGET', KEYS[1], 'spent') or '0' end
local v = tonumber(ARGV[1])
local cur = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
if cur > v then v = cur end
local out = string.format('%.12f', v)
redis.call('HSET', KEYS[1], 'spent', out, 'seeded', '1')
local exp = tonumber(ARGV[2])
if exp > 0 then redis.call('PEXPIREAT', KEYS[1], exp) end
return out
`;
