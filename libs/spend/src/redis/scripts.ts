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
 * correction (actual - estimate), cost (decimal string), scope count, and per scope windowed (0 no,
 * 1 yes, 2 yes and its bucket is certainly still in the window: not checked), budget USD (0 = none),
 * budget expire-at ms (0 = never); then per admission: mode ("admit" | "peek"), now ms, now second,
 * tokens, scope count, and per scope rpm, tpm, budget.
 *
 * Returns: the crossing count, then per crossing: settlement index, scope index (both 1-based),
 * threshold percent, spend; then per admission: code, scope index (1-based), retry-after ms (-1 =
 * none), then per scope: requests, tokens, oldest (ms, -1), spent, seeded. code: 0 admitted (or
 * peeked), 1 rpm, 2 tpm, 3 budget, 4 budget counter not seeded.
 *
 * Written for few redis.call()s, no table per scope and no number formatted into a field name (each
 * is Redis CPU, which shares the machine with the gateway): an admission makes 3 calls per scope
 * (window read, budget read, window write), a settlement 2 per scope for the tokens and 1 for the cost.
 */
export const BATCH_LUA = `
local settlements, admissions = tonumber(ARGV[1]), tonumber(ARGV[2])
local a, k, o = 3, 0, 1
local out = { 0 }
local crossings = 0
for si = 1, settlements do
  local tf, fix, cost, n = 't' .. ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3])
  local paid = tonumber(cost)
  a = a + 4
  for i = 1, n do
    local win, bud, windowed = KEYS[k + 1], KEYS[k + 2], ARGV[a]
    if fix ~= 0 and (windowed == '2' or (windowed == '1' and redis.call('HEXISTS', win, tf) == 1)) then
      redis.call('HINCRBY', win, tf, fix)
      redis.call('HINCRBY', win, 'sum', fix)
    end
    local budget = tonumber(ARGV[a + 1])
    if budget > 0 and paid > 0 then
      local spent = tonumber(redis.call('HINCRBYFLOAT', bud, 'spent', cost))
      -- A counter the seed created already expires; one this settlement (re)created does not yet.
      if spent <= paid * 1.000001 then
        local exp = tonumber(ARGV[a + 2])
        if exp > 0 then redis.call('PEXPIREAT', bud, exp) end
      end
      if spent >= budget * 0.8 and redis.call('HEXISTS', bud, 'seeded') == 1 then
        for _, pct in ipairs({ 80, 100 }) do
          if spent >= budget * pct / 100 and redis.call('HSETNX', bud, 'a' .. pct, '1') == 1 then
            crossings = crossings + 1
            out[o + 1], out[o + 2], out[o + 3], out[o + 4] = si, i, pct, string.format('%.12f', spent)
            o = o + 4
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
local function window(win, s, rf, tf)
  local v = redis.call('HMGET', win, 'n', 'sum', 'h', rf, tf)
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
          gone[#gone + 1] = f
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
-- Per scope of the admission being checked (reused, indexed by scope): limits and state.
local rpm, tpm, bgt, cnt, tot, hd, rbs, tbs, spt, sdd = {}, {}, {}, {}, {}, {}, {}, {}, {}, {}
for _ = 1, admissions do
  local mode, now, sec, tokens, n = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local s = tonumber(sec)
  local rf, tf = 'r' .. sec, 't' .. sec
  a = a + 5
  for i = 1, n do
    local r, t, b = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
    a = a + 3
    rpm[i], tpm[i], bgt[i] = r, t, b
    if r > 0 or t > 0 then
      cnt[i], tot[i], hd[i], rbs[i], tbs[i] = window(KEYS[k + 2 * i - 1], s, rf, tf)
    else
      cnt[i], tot[i], hd[i], rbs[i], tbs[i] = 0, 0, nil, 0, 0
    end
    spt[i], sdd[i] = '0', 1
    if b > 0 then
      local v = redis.call('HMGET', KEYS[k + 2 * i], 'spent', 'seeded')
      spt[i] = v[1] or '0'
      if not v[2] then sdd[i] = 0 end
    end
  end
  local code, idx, retry = 0, 0, -1
  if mode == 'admit' then
    for i = 1, n do
      if bgt[i] > 0 and sdd[i] == 0 then code, idx = 4, i break end
      if rpm[i] > 0 and cnt[i] + 1 > rpm[i] then
        code, idx, retry = 1, i, (hd[i] + 60) * 1000 - now
        break
      end
      if tpm[i] > 0 and tot[i] + tokens > tpm[i] then
        code, idx = 2, i
        if tokens <= tpm[i] and hd[i] then
          local need, freed, fields = tot[i] + tokens - tpm[i], 0, {}
          for b = hd[i], s do fields[#fields + 1] = 't' .. b end
          local t = redis.call('HMGET', KEYS[k + 2 * i - 1], unpack(fields))
          retry = 60000
          for j = 1, #t do
            freed = freed + (tonumber(t[j]) or 0)
            if freed >= need then retry = (hd[i] + j - 1 + 60) * 1000 - now break end
          end
        end
        break
      end
      if bgt[i] > 0 and tonumber(spt[i]) >= bgt[i] then code, idx = 3, i break end
    end
    if code == 0 then
      for i = 1, n do
        if rpm[i] > 0 or tpm[i] > 0 then
          local win = KEYS[k + 2 * i - 1]
          cnt[i] = cnt[i] + 1
          tot[i] = tot[i] + tokens
          hd[i] = hd[i] or s
          redis.call('HSET', win, 'n', cnt[i], 'sum', tot[i], 'h', hd[i], rf, rbs[i] + 1, tf, tbs[i] + tokens)
          if rbs[i] == 0 then redis.call('PEXPIRE', win, 61000) end
        end
      end
    end
  end
  k = k + 2 * n
  out[o + 1], out[o + 2], out[o + 3] = code, idx, retry
  o = o + 3
  for i = 1, n do
    out[o + 1], out[o + 2], out[o + 3], out[o + 4], out[o + 5] = cnt[i], tot[i], hd[i] and hd[i] * 1000 or -1, spt[i], sdd[i]
    o = o + 5
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
