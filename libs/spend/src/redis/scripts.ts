/**
 * The Lua scripts of the Redis counters. KEYS come in twos per scope: the window hash and the budget
 * hash. See counters.port.ts for the semantics; memory-counters.ts implements the same.
 *
 * Window hash (one per scope): a bucket per second that saw an admission, `r<sec>` (requests) and
 * `t<sec>` (tokens), plus the running totals `n` (requests) and `sum` (tokens) and `h`, the oldest bucket's second. A
 * request counts in the second it was admitted and the 59 after it; an admission reads 5 fields and
 * writes 5, and rebuilds the totals from the buckets (HGETALL, at most 120 fields) only when the
 * oldest bucket left the window, i.e. at most once per second per scope.
 *
 * Budget hash (one per scope and period): `spent`, `seeded`, and `a80`/`a100` once the spend reached
 * 80 % / 100 % of the budget (the crossing is answered once per period, whichever replica settled it).
 */

/**
 * One call applies a batch: first settlements, then admissions (or peeks), each atomically in order,
 * so an admission sees every settlement of its batch and of earlier calls.
 *
 * KEYS: the two keys of each scope, settlements' scopes first, then the admissions' scopes, in ARGV
 * order. ARGV: settlement count, admission count; then per settlement: admitted-at second, token
 * correction (actual - estimate), cost (decimal string), scope count, and per scope windowed (0/1),
 * budget USD (0 = none), budget expire-at ms (0 = never); then per admission: mode ("admit" | "peek"),
 * now ms, tokens, scope count, and per scope rpm, tpm, budget.
 *
 * Returns: the crossing count, then per crossing: settlement index, scope index (both 1-based),
 * threshold percent, spend; then per admission: code, scope index (1-based), retry-after ms (-1 =
 * none), then per scope: requests, tokens, oldest (ms, -1), spent, seeded. code: 0 admitted (or
 * peeked), 1 rpm, 2 tpm, 3 budget, 4 budget counter not seeded.
 */
export const BATCH_LUA = `
local settlements, admissions = tonumber(ARGV[1]), tonumber(ARGV[2])
local a, k = 3, 0
local out = { 0 }
local crossings = 0

for si = 1, settlements do
  local sec, fix, cost, n = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3])
  local paid = tonumber(cost) > 0
  a = a + 4
  for i = 1, n do
    local win, bud = KEYS[k + 1], KEYS[k + 2]
    if ARGV[a] == '1' and fix ~= 0 and redis.call('HEXISTS', win, 't' .. sec) == 1 then
      redis.call('HINCRBY', win, 't' .. sec, fix)
      redis.call('HINCRBY', win, 'sum', fix)
    end
    local budget = tonumber(ARGV[a + 1])
    if budget > 0 and paid then
      local spent = tonumber(redis.call('HINCRBYFLOAT', bud, 'spent', cost))
      local exp = tonumber(ARGV[a + 2])
      if exp > 0 then redis.call('PEXPIREAT', bud, exp) end
      if spent >= budget * 0.8 and redis.call('HEXISTS', bud, 'seeded') == 1 then
        for _, pct in ipairs({ 80, 100 }) do
          if spent >= budget * pct / 100 and redis.call('HSETNX', bud, 'a' .. pct, '1') == 1 then
            crossings = crossings + 1
            table.insert(out, si)
            table.insert(out, i)
            table.insert(out, pct)
            table.insert(out, string.format('%.12f', spent))
          end
        end
      end
    end
    a = a + 3
    k = k + 2
  end
end
out[1] = crossings

-- The scope's window at second s: drops the buckets that left it (rebuilding the totals), returns
-- requests, tokens, oldest second (nil when empty), and the current second's bucket.
local function window(win, s)
  local v = redis.call('HMGET', win, 'n', 'sum', 'h', 'r' .. s, 't' .. s)
  local count, total, head = tonumber(v[1]) or 0, tonumber(v[2]) or 0, tonumber(v[3])
  local rb, tb = tonumber(v[4]) or 0, tonumber(v[5]) or 0
  if head and head <= s - 60 then
    local all = redis.call('HGETALL', win)
    local gone = {}
    count, total, head = 0, 0, nil
    for j = 1, #all, 2 do
      local f = all[j]
      local c = string.byte(f, 1)
      if c == 114 or c == 116 then
        local b = tonumber(string.sub(f, 2))
        if b <= s - 60 then
          table.insert(gone, f)
        elseif c == 114 then
          count = count + tonumber(all[j + 1])
          if not head or b < head then head = b end
        else
          total = total + tonumber(all[j + 1])
        end
      end
    end
    if head then
      if #gone > 0 then redis.call('HDEL', win, unpack(gone)) end
      redis.call('HSET', win, 'n', count, 'sum', total, 'h', head)
    else
      redis.call('DEL', win)
      total = 0
    end
  end
  return count, total, head, rb, tb
end

for _ = 1, admissions do
  local mode, now, tokens, n = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local s = math.floor(now / 1000)
  a = a + 4
  local st = {}
  for i = 1, n do
    local b = a + (i - 1) * 3
    local x = { rpm = tonumber(ARGV[b]), tpm = tonumber(ARGV[b + 1]), budget = tonumber(ARGV[b + 2]),
                count = 0, total = 0, spent = '0', seeded = 1, rb = 0, tb = 0,
                win = KEYS[k + 2 * i - 1], bud = KEYS[k + 2 * i] }
    if x.rpm > 0 or x.tpm > 0 then
      x.count, x.total, x.head, x.rb, x.tb = window(x.win, s)
    end
    if x.budget > 0 then
      local v = redis.call('HMGET', x.bud, 'spent', 'seeded')
      x.spent = v[1] or '0'
      if not v[2] then x.seeded = 0 end
    end
    st[i] = x
  end
  a = a + 3 * n
  k = k + 2 * n
  local code, idx, retry = 0, 0, -1
  if mode == 'admit' then
    for i = 1, n do
      local x = st[i]
      if x.budget > 0 and x.seeded == 0 then code, idx = 4, i break end
      if x.rpm > 0 and x.count + 1 > x.rpm then
        code, idx, retry = 1, i, (x.head + 60) * 1000 - now
        break
      end
      if x.tpm > 0 and x.total + tokens > x.tpm then
        code, idx = 2, i
        if tokens <= x.tpm and x.head then
          local need, freed, fields = x.total + tokens - x.tpm, 0, {}
          for b = x.head, s do table.insert(fields, 't' .. b) end
          local t = redis.call('HMGET', x.win, unpack(fields))
          retry = 60000
          for j = 1, #t do
            freed = freed + (tonumber(t[j]) or 0)
            if freed >= need then retry = (x.head + j - 1 + 60) * 1000 - now break end
          end
        end
        break
      end
      if x.budget > 0 and tonumber(x.spent) >= x.budget then code, idx = 3, i break end
    end
    if code == 0 then
      for i = 1, n do
        local x = st[i]
        if x.rpm > 0 or x.tpm > 0 then
          x.count = x.count + 1
          x.total = x.total + tokens
          x.head = x.head or s
          redis.call('HSET', x.win, 'n', x.count, 'sum', x.total, 'h', x.head, 'r' .. s, x.rb + 1, 't' .. s, x.tb + tokens)
          if x.rb == 0 then redis.call('PEXPIRE', x.win, 61000) end
        end
      end
    end
  end
  table.insert(out, code)
  table.insert(out, idx)
  table.insert(out, retry)
  for i = 1, n do
    local x = st[i]
    table.insert(out, x.count)
    table.insert(out, x.total)
    table.insert(out, x.head and x.head * 1000 or -1)
    table.insert(out, x.spent)
    table.insert(out, x.seeded)
  end
end
return out
`;

/**
 * KEYS[1] the budget hash; ARGV: spend read from the analytics store, expire-at, budget USD. The first
 * seeder wins (spend = max(counted, seed)). Thresholds the seeded spend already reached are marked as
 * told: a counter Redis lost does not alert its crossings again.
 */
export const SEED_LUA = `
if redis.call('HEXISTS', KEYS[1], 'seeded') == 1 then return redis.call('HGET', KEYS[1], 'spent') or '0' end
local v = tonumber(ARGV[1])
local cur = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
if cur > v then v = cur end
local out = string.format('%.12f', v)
redis.call('HSET', KEYS[1], 'spent', out, 'seeded', '1')
local budget = tonumber(ARGV[3])
for _, pct in ipairs({ 80, 100 }) do
  if budget > 0 and v >= budget * pct / 100 then redis.call('HSET', KEYS[1], 'a' .. pct, '1') end
end
local exp = tonumber(ARGV[2])
if exp > 0 then redis.call('PEXPIREAT', KEYS[1], exp) end
return out
`;
