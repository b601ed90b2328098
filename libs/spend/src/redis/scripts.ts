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
 * order. ARGV: settlement count, admission count, the current second (the first admission's, any
 * second without admissions: which buckets a window's first read also reads); then per settlement: admitted-at second, token
 * correction (actual - estimate), cost (decimal string), returned lease requests, scope count, and per
 * scope windowed (0 no, 1 yes, 2 yes and its bucket is certainly still in the window: not checked),
 * budget USD (0 = none), budget expire-at ms (0 = never); then per admission: mode ("admit" | "peek"),
 * now ms, now second, tokens, lease requests and tokens wanted (0 0: no lease), the lease's cost
 * ceiling (USD per request), scope count, and per scope rpm, tpm, budget.
 *
 * Returns: the crossing count, then per crossing: settlement index, scope index (both 1-based),
 * threshold percent, spend; then per admission: code, scope index (1-based), retry-after ms (-1 =
 * none), lease requests and tokens granted, then per scope: requests, tokens, oldest (ms, -1),
 * spent, seeded. code: 0 admitted (or peeked), 1 rpm, 2 tpm, 3 budget, 4 budget counter not seeded.
 *
 * Written for few Redis commands per request (Redis CPU is shared with the gateway, and one Redis
 * serves every replica): the call reads each hash's fields once (HMGET), applies its settlements and
 * admissions to those values in Lua, and writes each hash it changed once at the end (one HSET per
 * hash, however many requests of the call touched it). A busy key's and team's hashes are read and
 * written once per call instead of a few times per request (a call that carries a single request
 * costs Redis a little more than one command per change did; a busy replica's calls carry several).
 */
export const BATCH_LUA = `
local settlements, admissions, now_rf, now_tf = tonumber(ARGV[1]), tonumber(ARGV[2]), 'r' .. ARGV[3], 't' .. ARGV[3]
local a, k, o = 4, 0, 1
local out = { 0 }
local crossings = 0
-- The fields read so far per hash (false: absent), the changed ones, and the hashes to expire after their write.
local got, dirty, expire = {}, {}, {}
-- Reads the fields (at most 3) of a hash not read yet in this call.
local function need(key, f1, f2, f3)
  local c = got[key]
  if not c then c = {} got[key] = c end
  local miss, n = nil, 0
  if f1 and c[f1] == nil then n = n + 1 miss = { f1 } end
  if f2 and c[f2] == nil then n = n + 1 if miss then miss[n] = f2 else miss = { f2 } end end
  if f3 and c[f3] == nil then n = n + 1 if miss then miss[n] = f3 else miss = { f3 } end end
  if n > 0 then
    local v = redis.call('HMGET', key, unpack(miss))
    for i = 1, n do c[miss[i]] = v[i] end
  end
  return c
end
local function set(key, f, value)
  got[key][f] = value
  local d = dirty[key]
  if not d then d = {} dirty[key] = d end
  d[f] = true
end
local args = {}
local function write(key)
  local d = dirty[key]
  if not d then return end
  local c, n = got[key], 0
  for f in pairs(d) do args[n + 1], args[n + 2] = f, c[f] n = n + 2 end
  redis.call('HSET', key, unpack(args, 1, n))
  dirty[key] = nil
  if expire[key] then
    if expire[key] > 0 then redis.call('PEXPIREAT', key, expire[key]) else redis.call('PEXPIRE', key, 61000) end
    expire[key] = nil
  end
end
local num = function(v) return tonumber(v) or 0 end
-- The first read of a window reads what this call's admissions need too (their second's buckets);
-- of a budget counter, its spend and seeded flag.
local function window_fields(win, f)
  local c = got[win]
  if c then return need(win, f, 'sum') end
  local v = redis.call('HMGET', win, 'n', 'sum', 'h', now_rf, now_tf, f)
  c = { n = v[1], sum = v[2], h = v[3], [now_rf] = v[4], [now_tf] = v[5], [f] = v[6] }
  got[win] = c
  return c
end
local function budget_fields(bud)
  local c = got[bud]
  if c then return c end
  local v = redis.call('HMGET', bud, 'spent', 'seeded')
  c = { spent = v[1], seeded = v[2] }
  got[bud] = c
  return c
end
for si = 1, settlements do
  local rf, tf, fix, cost, ret, n = 'r' .. ARGV[a], 't' .. ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local paid = tonumber(cost)
  a = a + 5
  for i = 1, n do
    local win, bud, windowed = KEYS[k + 1], KEYS[k + 2], ARGV[a]
    if (fix ~= 0 or ret > 0) and windowed ~= '0' then
      local c = window_fields(win, tf)
      if windowed == '2' or c[tf] then
        -- a bucket never goes below zero (it may be gone: Redis lost the window since the admission)
        local d = math.max(fix, -num(c[tf]))
        if d ~= 0 then
          set(win, tf, num(c[tf]) + d)
          set(win, 'sum', num(c.sum) + d)
        end
        if ret > 0 then
          c = need(win, rf, 'n')
          local back = math.min(ret, num(c[rf]))
          if back > 0 then
            set(win, rf, num(c[rf]) - back)
            set(win, 'n', num(c.n) - back)
          end
        end
      end
    end
    local budget = tonumber(ARGV[a + 1])
    if budget > 0 and paid > 0 then
      local c = budget_fields(bud)
      -- A counter the seed created already expires; one this settlement (re)creates does not yet.
      if not c.spent then
        local exp = tonumber(ARGV[a + 2])
        if exp > 0 then expire[bud] = exp end
      end
      -- a number: Redis writes it with every significant digit
      local spent = num(c.spent) + paid
      set(bud, 'spent', spent)
      if spent >= budget * 0.8 and need(bud, 'seeded', 'a80', 'a100').seeded then
        for _, pct in ipairs({ 80, 100 }) do
          local f = 'a' .. pct
          if spent >= budget * pct / 100 and not c[f] then
            set(bud, f, '1')
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
-- The scope's window at second s: drops the buckets that left it (rebuilding the totals from the
-- stored hash, this call's changes written first), returns the window's fields.
local function window(win, s, rf, tf)
  local c = window_fields(win, tf)
  if c[rf] == nil or c.n == nil then c = need(win, 'n', 'h', rf) end
  local head = tonumber(c.h)
  if head and head <= s - 60 then
    write(win)
    local all = redis.call('HGETALL', win)
    local gone = {}
    local count, total, first = 0, 0, nil
    c = {}
    for j = 1, #all, 2 do
      local f = all[j]
      local b = string.byte(f, 1)
      c[f] = all[j + 1]
      if b == 114 or b == 116 then
        local sec = tonumber(string.sub(f, 2))
        if sec <= s - 60 then
          gone[#gone + 1] = f
          c[f] = false
        elseif b == 114 then
          count = count + tonumber(all[j + 1])
          if not first or sec < first then first = sec end
        else
          total = total + tonumber(all[j + 1])
        end
      end
    end
    if first then
      if #gone > 0 then redis.call('HDEL', win, unpack(gone)) end
      redis.call('HSET', win, 'n', count, 'sum', total, 'h', first)
      c.n, c.sum, c.h = count, total, first
    else
      redis.call('DEL', win)
      c = { n = false, sum = false, h = false }
    end
    got[win] = c
    need(win, rf, tf)
  end
  return c
end
-- Per scope of the admission being checked (reused, indexed by scope): limits and state.
local rpm, tpm, bgt, cnt, tot, hd, rbs, tbs, spt, sdd = {}, {}, {}, {}, {}, {}, {}, {}, {}, {}
for _ = 1, admissions do
  local mode, now, sec, tokens, want_r, want_t, ceiling, n = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5]), tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7])
  local s = tonumber(sec)
  local rf, tf = 'r' .. sec, 't' .. sec
  a = a + 8
  for i = 1, n do
    local r, t, b = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
    a = a + 3
    rpm[i], tpm[i], bgt[i] = r, t, b
    if r > 0 or t > 0 then
      local c = window(KEYS[k + 2 * i - 1], s, rf, tf)
      cnt[i], tot[i], hd[i], rbs[i], tbs[i] = num(c.n), num(c.sum), tonumber(c.h), num(c[rf]), num(c[tf])
    else
      cnt[i], tot[i], hd[i], rbs[i], tbs[i] = 0, 0, nil, 0, 0
    end
    spt[i], sdd[i] = '0', 1
    if b > 0 then
      local c = budget_fields(KEYS[k + 2 * i])
      -- spend as a string (a number would be answered as an integer), every digit kept
      if type(c.spent) == 'number' then c.spent = string.format('%.17g', c.spent) end
      spt[i] = c.spent or '0'
      if not c.seeded then sdd[i] = 0 end
    end
  end
  local code, idx, retry, gr, gt = 0, 0, -1, 0, 0
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
          local win, need_, freed = KEYS[k + 2 * i - 1], tot[i] + tokens - tpm[i], 0
          retry = 60000
          for b = hd[i], s do
            local f = 't' .. b
            local c = got[win]
            if c[f] == nil then c = need(win, f) end
            freed = freed + num(c[f])
            if freed >= need_ then retry = (b + 60) * 1000 - now break end
          end
        end
        break
      end
      if bgt[i] > 0 and tonumber(spt[i]) >= bgt[i] then code, idx = 3, i break end
    end
    if code == 0 and want_r > 0 then
      -- the lease: what fits every scope after this request; a budget lends at most half its rest at the ceiling
      gr, gt = want_r, want_t
      for i = 1, n do
        if rpm[i] > 0 then gr = math.min(gr, rpm[i] - cnt[i] - 1) end
        if tpm[i] > 0 then gt = math.min(gt, tpm[i] - tot[i] - tokens) end
        if bgt[i] > 0 then
          if ceiling > 0 then gr = math.min(gr, math.floor((bgt[i] - tonumber(spt[i])) / (2 * ceiling))) else gr = 0 end
        end
      end
      if gr <= 0 or gt < 0 then gr, gt = 0, 0 end
    end
    if code == 0 then
      local units, toks = 1 + gr, tokens + gt
      for i = 1, n do
        if rpm[i] > 0 or tpm[i] > 0 then
          local win = KEYS[k + 2 * i - 1]
          cnt[i] = cnt[i] + units
          tot[i] = tot[i] + toks
          hd[i] = hd[i] or s
          local c = got[win]
          c.n, c.sum, c.h, c[rf], c[tf] = cnt[i], tot[i], hd[i], rbs[i] + units, tbs[i] + toks
          local d = dirty[win]
          if not d then
            dirty[win] = { n = true, sum = true, h = true, [rf] = true, [tf] = true }
          else
            d.n, d.sum, d.h, d[rf], d[tf] = true, true, true, true, true
          end
          if rbs[i] == 0 then expire[win] = 0 end
        end
      end
    end
  end
  k = k + 2 * n
  out[o + 1], out[o + 2], out[o + 3], out[o + 4], out[o + 5] = code, idx, retry, gr, gt
  o = o + 5
  for i = 1, n do
    out[o + 1], out[o + 2], out[o + 3], out[o + 4], out[o + 5] = cnt[i], tot[i], hd[i] and hd[i] * 1000 or -1, spt[i], sdd[i]
    o = o + 5
  end
end
for key in pairs(dirty) do write(key) end
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
