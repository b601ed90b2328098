/**
 * The Lua scripts of the Redis counters. KEYS come in threes per scope: the window log (a sorted set of
 * "<request id>:<tokens>" scored by admission time), the window's token total, the budget hash
 * (spent, seeded). See counters.port.ts for the semantics; memory-counters.ts implements the same.
 */

/** Shared head: trims every scope's window and reads its state. */
const READ_STATE = `
local now = tonumber(ARGV[2])
local tokens = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local n = #KEYS / 3
local st = {}
local function weight(m) return tonumber(string.match(m, ':(%d+)$')) end
for i = 1, n do
  local a = 5 + (i - 1) * 3
  local s = { rpm = tonumber(ARGV[a + 1]), tpm = tonumber(ARGV[a + 2]), budget = tonumber(ARGV[a + 3]),
              count = 0, total = 0, oldest = -1, spent = '0', seeded = 1 }
  local log, tok, bud = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  if s.rpm > 0 or s.tpm > 0 then
    local cutoff = now - window
    local gone = redis.call('ZRANGEBYSCORE', log, '-inf', cutoff)
    if #gone > 0 then
      local freed = 0
      for _, m in ipairs(gone) do freed = freed + weight(m) end
      redis.call('ZREMRANGEBYSCORE', log, '-inf', cutoff)
      if freed > 0 then redis.call('DECRBY', tok, freed) end
    end
    s.count = redis.call('ZCARD', log)
    s.total = tonumber(redis.call('GET', tok) or '0')
    if s.count == 0 and s.total ~= 0 then redis.call('DEL', tok) s.total = 0 end
    if s.count > 0 then s.oldest = tonumber(redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')[2]) end
  end
  if s.budget > 0 then
    local v = redis.call('HMGET', bud, 'spent', 'seeded')
    s.spent = v[1] or '0'
    if not v[2] then s.seeded = 0 end
  end
  st[i] = s
end
`;

/**
 * ARGV: mode ("admit" | "peek"), now, member ("<id>:<tokens>"), tokens, window ms, then per scope rpm, tpm, budget.
 * Returns { code, scope index (1-based), retry-after ms (-1 = none), then per scope: requests, tokens, oldest (-1), spent, seeded }.
 * code: 0 admitted (or peeked), 1 rpm, 2 tpm, 3 budget, 4 budget counter not seeded.
 */
export const ADMIT_LUA = `${READ_STATE}
local code, idx, retry = 0, 0, -1
if ARGV[1] == 'admit' then
  for i = 1, n do
    local s = st[i]
    local log = KEYS[3 * i - 2]
    if s.budget > 0 and s.seeded == 0 then code, idx = 4, i break end
    if s.rpm > 0 and s.count + 1 > s.rpm then
      code, idx, retry = 1, i, s.oldest + window - now
      break
    end
    if s.tpm > 0 and s.total + tokens > s.tpm then
      code, idx = 2, i
      if tokens <= s.tpm then
        local need, freed = s.total + tokens - s.tpm, 0
        local entries = redis.call('ZRANGE', log, 0, 999, 'WITHSCORES')
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
        local log, tok = KEYS[3 * i - 2], KEYS[3 * i - 1]
        redis.call('ZADD', log, now, ARGV[3])
        redis.call('INCRBY', tok, tokens)
        redis.call('PEXPIRE', log, window + 1000)
        redis.call('PEXPIRE', tok, window + 1000)
        s.count = s.count + 1
        s.total = s.total + tokens
        if s.oldest < 0 then s.oldest = now end
      end
    end
  end
end
local out = { code, idx, retry }
for i = 1, n do
  local s = st[i]
  table.insert(out, s.count)
  table.insert(out, s.total)
  table.insert(out, s.oldest)
  table.insert(out, s.spent)
  table.insert(out, s.seeded)
end
return out
`;

/**
 * ARGV: id, admitted-at, estimated tokens, actual tokens, cost (decimal string), then per scope
 * windowed (0/1), budgeted (0/1), budget expire-at ms (0 = never).
 */
export const SETTLE_LUA = `
local id, at, est, actual, cost = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
for i = 1, #KEYS / 3 do
  local a = 5 + (i - 1) * 3
  local log, tok, bud = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  if ARGV[a + 1] == '1' and est ~= actual then
    if redis.call('ZREM', log, id .. ':' .. est) == 1 then
      redis.call('ZADD', log, at, id .. ':' .. actual)
      redis.call('INCRBY', tok, tonumber(actual) - tonumber(est))
    end
  end
  if ARGV[a + 2] == '1' and tonumber(cost) > 0 then
    redis.call('HINCRBYFLOAT', bud, 'spent', cost)
    local exp = tonumber(ARGV[a + 3])
    if exp > 0 then redis.call('PEXPIREAT', bud, exp) end
  end
end
return 1
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
