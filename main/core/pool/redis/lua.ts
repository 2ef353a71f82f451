/**
 * The Lua scripts of the Redis quota store. Each runs atomically on the server, so a check and
 * its count are one step however many replicas reserve at once.
 *
 * One owner's state is one JSON document (see doc.ts for its shape) and a sorted set of its
 * in-flight leases scored by when each lapses without a heartbeat. Every writing script:
 *   KEYS: doc, leases, owners index, event stream      ARGV: owner, now, lease clock, channel, stream length, …
 * and answers `{ result, doc JSON, live lease members }`, so the caller's mirror is current.
 * `now` is the caller's clock (windows and blocks; '' for steps without one: nothing is pruned
 * then); the lease clock only ages leases.
 */

const PRELUDE = `
local MIN = 60000
local DAY = 86400000
local CONFIRMED_FOR = 86400000
local NOTE_KEEP = 7 * DAY
local GRACE = 60000

local owner = ARGV[1]
local now = tonumber(ARGV[2])
local t = tonumber(ARGV[3])

local function isOpen(w, len) return w ~= nil and now < w[1] + len end
local function countIn(w, len) if isOpen(w, len) then return w[2] end return 0 end
local function addTo(w, len, n) if isOpen(w, len) then return { w[1], w[2] + n } end return { now, n } end
local function takeFrom(w, len) if isOpen(w, len) then return { w[1], math.max(0, w[2] - 1) } end return w end
local function liveRec(r) if r ~= nil and r.u > now then return r end return nil end
local function later(a, b)
  if a == nil then return b end
  if b == nil then return a end
  if b.u > a.u then return b end
  return a
end

local function load(key)
  local raw = redis.call('GET', key)
  local doc = {}
  if raw then doc = cjson.decode(raw) end
  if type(doc.m) ~= 'table' then doc.m = {} end
  if type(doc.lim) ~= 'table' then doc.lim = {} end
  return doc
end

local function leasesOf(key)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', t)
  return redis.call('ZRANGE', key, 0, -1)
end

local function leaseModel(member) return string.sub(member, string.find(member, '\\n', 1, true) + 1) end

local function inFlightOf(leases, model)
  local n = 0
  for _, member in ipairs(leases) do if leaseModel(member) == model then n = n + 1 end end
  return n
end

-- The latest confirmed-limit window the counts have filled (memory-quota-store.ts, LimitBook.spent()).
local function spentOf(doc, model, e)
  if e == nil then return nil end
  local best = nil
  for _, spec in ipairs({ { 'UserByModelByMinute', e.mi, MIN }, { 'UserByModelByDay', e.d, DAY } }) do
    local note = doc.lim[model .. '\\n' .. spec[1]]
    if note and note.c and now - note.a < CONFIRMED_FOR and isOpen(spec[2], spec[3]) and spec[2][2] >= note.l then
      local untilAt = spec[2][1] + spec[3]
      if best == nil or untilAt > best[3] then best = { spec[1], note.l, untilAt } end
    end
  end
  return best
end

-- Drops what has ended, sets the keys to expire with their last window, indexes the owner and
-- tells every replica. A block that ended stays (for the sweep to tell) for GRACE at most.
local function tell(kind, model)
  if kind == nil then return end
  local event = cjson.encode({ kind = kind, owner = owner, model = model or '', at = now or t })
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[5], '*', 'event', event)
  redis.call('PUBLISH', ARGV[4], event)
end

local function save(doc, leases, kind, model)
  if now == nil then
    -- A step without a time of its own (clearing, unconfirming): nothing is pruned, the TTL stays.
    if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('SET', KEYS[1], cjson.encode(doc), 'KEEPTTL') end
    tell(kind, model)
    return redis.call('GET', KEYS[1])
  end
  local horizon = 0
  local function consider(x) if x ~= nil and x > horizon then horizon = x end end
  local function keepRec(r)
    if r == nil or r.u <= now - GRACE then return nil end
    if r.u > now then consider(r.u) else consider(now + GRACE) end
    return r
  end
  for name, e in pairs(doc.m) do
    e.cd = keepRec(e.cd)
    local keep = e.cd ~= nil or inFlightOf(leases, name) > 0
    if isOpen(e.mi, MIN) then consider(e.mi[1] + MIN) keep = true else e.mi = nil end
    if isOpen(e.d, DAY) then consider(e.d[1] + DAY) keep = true else e.d = nil end
    if isOpen(e.t, DAY) then consider(e.t[1] + DAY) keep = true else e.t = nil end
    if not keep then doc.m[name] = nil end
  end
  if isOpen(doc.mi, MIN) then consider(doc.mi[1] + MIN) else doc.mi = nil end
  if isOpen(doc.d, DAY) then consider(doc.d[1] + DAY) else doc.d = nil end
  doc.uc = keepRec(doc.uc)
  doc.p = keepRec(doc.p)
  if doc.cap ~= nil and doc.cap.u <= now - GRACE then doc.cap = nil end
  if doc.cap ~= nil then consider(math.max(doc.cap.u, now + 1)) end
  for k, note in pairs(doc.lim) do
    if now - note.a >= NOTE_KEEP then doc.lim[k] = nil else consider(note.a + NOTE_KEEP) end
  end

  local raw = cjson.encode(doc)
  local expiresAt = t
  if horizon > now then
    redis.call('SET', KEYS[1], raw, 'PX', math.ceil(horizon - now))
    expiresAt = t + (horizon - now)
  else
    redis.call('DEL', KEYS[1])
    raw = false
  end
  if #leases > 0 then
    local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
    local lastAt = tonumber(last[2])
    redis.call('PEXPIRE', KEYS[2], math.max(1, math.ceil(lastAt - t)))
    if lastAt > expiresAt then expiresAt = lastAt end
  end
  if expiresAt > t then redis.call('ZADD', KEYS[3], expiresAt, owner) else redis.call('ZREM', KEYS[3], owner) end
  tell(kind, model)
  return raw
end
`;

const script = (body: string) => `${PRELUDE}\n${body}`;

/**
 * ARGV[6..]: model, lease member, lease TTL, has limits, per minute, per day, concurrent, probe.
 * A probe ('1') is refused while another probe's lease of the model is live and unanswered
 * (PROBE_MARK in its member), or — once a probe went in this minute window (e.pb) — while any
 * other lease of the model is live and unanswered (no ANSWERED_MARK): see quota-store.ts `probe`.
 */
export const RESERVE = script(`
local model = ARGV[6]
local doc = load(KEYS[1])
local leases = leasesOf(KEYS[2])
local e = doc.m[model]
local block = nil
local function consider(r)
  r = liveRec(r)
  if r ~= nil and (block == nil or r.u > block.u) then block = r end
end
if e ~= nil then consider(e.cd) end
consider(doc.uc)
consider(doc.p)
local spent = spentOf(doc, model, e)
local result = nil
if block ~= nil and (spent == nil or block.u >= spent[3]) then
  result = { 'blocked', block.r }
elseif spent ~= nil then
  result = { 'spent', spent[1], spent[2], spent[3] }
elseif ARGV[9] == '1' then
  local cap = math.huge
  if doc.cap ~= nil and doc.cap.u > now then cap = doc.cap.v end
  if e ~= nil and countIn(e.d, DAY) >= tonumber(ARGV[11]) then
    result = { 'full', 'day', e.d[1] + DAY }
  elseif e ~= nil and countIn(e.mi, MIN) >= tonumber(ARGV[10]) then
    result = { 'full', 'minute', e.mi[1] + MIN }
  elseif #leases >= math.min(tonumber(ARGV[12]), cap) then
    result = { 'full', 'concurrent', -1 }
  end
end
if result == nil and ARGV[13] == '1' then
  local probeOut, unanswered = false, false
  for _, member in ipairs(leases) do
    if leaseModel(member) == model then
      if string.find(member, '.probe\\n', 1, true) then probeOut = true
      elseif not string.find(member, '.answered\\n', 1, true) then unanswered = true end
    end
  end
  local probedThisWindow = e ~= nil and e.pb ~= nil and isOpen(e.mi, MIN) and e.pb >= e.mi[1]
  if probeOut or (probedThisWindow and unanswered) then result = { 'probing' } end
end
if result ~= nil then return { result, redis.call('GET', KEYS[1]), leases } end
if e == nil then e = {} doc.m[model] = e end
e.mi = addTo(e.mi, MIN, 1)
e.d = addTo(e.d, DAY, 1)
doc.mi = addTo(doc.mi, MIN, 1)
doc.d = addTo(doc.d, DAY, 1)
if ARGV[13] == '1' then e.pb = now end
redis.call('ZADD', KEYS[2], t + tonumber(ARGV[8]), ARGV[7])
leases = redis.call('ZRANGE', KEYS[2], 0, -1)
local positions = { 'ok', e.mi[2], e.d[2] }
return { positions, save(doc, leases, 'reserve', model), leases }
`);

/**
 * ARGV[6..]: model, lease member, tokens (0: none), the member's answered name. Frees the slot
 * (under either name: an answer not awaited may have renamed it); adds the tokens to the model's day.
 */
export const RELEASE = script(`
local model = ARGV[6]
redis.call('ZREM', KEYS[2], ARGV[7], ARGV[9])
local doc = load(KEYS[1])
local tokens = tonumber(ARGV[8])
if tokens > 0 then
  local e = doc.m[model]
  if e == nil then e = {} doc.m[model] = e end
  e.t = addTo(e.t, DAY, tokens)
end
local leases = leasesOf(KEYS[2])
return { 1, save(doc, leases, 'release', model), leases }
`);

/** ARGV[6]: model. Takes one count back from the open windows. */
export const UNCOUNT = script(`
local model = ARGV[6]
local doc = load(KEYS[1])
local e = doc.m[model]
if e ~= nil then
  e.mi = takeFrom(e.mi, MIN)
  e.d = takeFrom(e.d, DAY)
  doc.mi = takeFrom(doc.mi, MIN)
  doc.d = takeFrom(doc.d, DAY)
end
local leases = leasesOf(KEYS[2])
return { 1, save(doc, leases, 'uncount', model), leases }
`);

/** ARGV[6..]: model, record JSON, until, account, scope, cap recovery ms. Merged by max. */
export const COOLDOWN = script(`
local model = ARGV[6]
local rec = { u = tonumber(ARGV[8]), a = ARGV[9], r = ARGV[7] }
local scope = ARGV[10]
local doc = load(KEYS[1])
local leases = leasesOf(KEYS[2])
local kept
if scope == 'concurrency' then
  kept = later(doc.p, rec)
  doc.p = kept
  local value = math.max(1, #leases - 1)
  if doc.cap ~= nil then value = math.min(doc.cap.v, value) end
  doc.cap = { v = value, u = now + tonumber(ARGV[11]) }
elseif scope == 'user' then
  kept = later(doc.uc, rec)
  doc.uc = kept
else
  local e = doc.m[model]
  if e == nil then e = {} doc.m[model] = e end
  kept = later(e.cd, rec)
  e.cd = kept
end
local changed = 0
if kept == rec then changed = 1 end
return { { changed, kept.r }, save(doc, leases, 'cooldown', model), leases }
`);

/** ARGV[6]: model ('' = all). Clears blocks (all models: also owner-wide ones and the cap); says how many. */
export const CLEAR = script(`
local model = ARGV[6]
local doc = load(KEYS[1])
local n = 0
for name, e in pairs(doc.m) do
  if (model == '' or name == model) and e.cd ~= nil then n = n + 1 e.cd = nil end
end
if model == '' then
  if doc.uc ~= nil then n = n + 1 end
  if doc.p ~= nil then n = n + 1 end
  doc.uc = nil
  doc.p = nil
  doc.cap = nil
end
local leases = leasesOf(KEYS[2])
local kind = nil
if n > 0 then kind = 'clear' end
return { n, save(doc, leases, kind, model), leases }
`);

/** ARGV[6..]: model, limit type, op ('set' | 'drop' | 'unconfirm'), limit, confirmed, at. */
export const LIMIT = script(`
local model = ARGV[6]
local op = ARGV[8]
local doc = load(KEYS[1])
local n = 0
if op == 'set' then
  doc.lim[model .. '\\n' .. ARGV[7]] = { l = tonumber(ARGV[9]), c = ARGV[10] == '1', a = tonumber(ARGV[11]) }
elseif op == 'drop' then
  doc.lim[model .. '\\n' .. ARGV[7]] = nil
else
  for k, note in pairs(doc.lim) do
    local m = string.sub(k, 1, string.find(k, '\\n', 1, true) - 1)
    if (model == '' or m == model) and note.c then note.c = false n = n + 1 end
  end
end
local leases = leasesOf(KEYS[2])
return { n, save(doc, leases, 'limit', model), leases }
`);

/** Drops the blocks and caps that ended by now; answers `{ model | '', account, kind }` for each. */
export const SWEEP = script(`
local doc = load(KEYS[1])
local out = {}
local names = {}
for name in pairs(doc.m) do table.insert(names, name) end
table.sort(names)
for _, name in ipairs(names) do
  local e = doc.m[name]
  if e.cd ~= nil and e.cd.u <= now then table.insert(out, { name, e.cd.a, 'cooldown' }) e.cd = nil end
end
if doc.uc ~= nil and doc.uc.u <= now then table.insert(out, { '', doc.uc.a, 'user' }) doc.uc = nil end
if doc.p ~= nil and doc.p.u <= now then table.insert(out, { '', doc.p.a, 'pause' }) doc.p = nil end
if doc.cap ~= nil and doc.cap.u <= now then table.insert(out, { '', '', 'cap' }) doc.cap = nil end
local leases = leasesOf(KEYS[2])
local kind = nil
if #out > 0 then kind = 'expired' end
return { out, save(doc, leases, kind, nil), leases }
`);

/**
 * ARGV[6]: a document learned elsewhere (a replica's local state after an outage, a restored
 * snapshot), merged by max: the later block, the higher count of a window open in both, the
 * lower cap, the newer limit note.
 */
export const MERGE_MAX = script(`
local incoming = cjson.decode(ARGV[6])
local doc = load(KEYS[1])
local function maxWindow(a, b, len)
  local openA, openB = isOpen(a, len), isOpen(b, len)
  if openA and openB then return { math.min(a[1], b[1]), math.max(a[2], b[2]) } end
  if openA then return a end
  if openB then return b end
  return nil
end
local function lowerCap(a, b)
  if a == nil then return b end
  if b == nil then return a end
  if b.v < a.v then return b end
  return a
end
for name, x in pairs(incoming.m or {}) do
  local e = doc.m[name]
  if e == nil then e = {} doc.m[name] = e end
  e.mi = maxWindow(e.mi, x.mi, MIN)
  e.d = maxWindow(e.d, x.d, DAY)
  e.t = maxWindow(e.t, x.t, DAY)
  e.cd = later(e.cd, x.cd)
end
doc.mi = maxWindow(doc.mi, incoming.mi, MIN)
doc.d = maxWindow(doc.d, incoming.d, DAY)
doc.uc = later(doc.uc, incoming.uc)
doc.p = later(doc.p, incoming.p)
doc.cap = lowerCap(doc.cap, incoming.cap)
for k, note in pairs(incoming.lim or {}) do
  local mine = doc.lim[k]
  if mine == nil or note.a > mine.a then doc.lim[k] = note end
end
local leases = leasesOf(KEYS[2])
return { 1, save(doc, leases, 'merge', nil), leases }
`);

/**
 * A provisional owner turned out to be the owner in ARGV[1] (KEYS as usual for it; KEYS[5] and
 * KEYS[6]: the provisional owner's doc and leases; ARGV[6]: its owner key). Windows open in both
 * add up, the later block stands, the target's own limit notes win, leases move over.
 */
export const MERGE_OWNER = script(`
local from = load(KEYS[5])
local doc = load(KEYS[1])
local function sumWindow(a, b, len)
  local openA, openB = isOpen(a, len), isOpen(b, len)
  if openA and openB then return { math.min(a[1], b[1]), a[2] + b[2] } end
  if openA then return a end
  if openB then return b end
  return nil
end
for name, x in pairs(from.m) do
  local e = doc.m[name]
  if e == nil then doc.m[name] = x else
    e.mi = sumWindow(x.mi, e.mi, MIN)
    e.d = sumWindow(x.d, e.d, DAY)
    e.t = sumWindow(x.t, e.t, DAY)
    e.cd = later(e.cd, x.cd)
  end
end
doc.mi = sumWindow(from.mi, doc.mi, MIN)
doc.d = sumWindow(from.d, doc.d, DAY)
doc.uc = later(doc.uc, from.uc)
doc.p = later(doc.p, from.p)
if from.cap ~= nil and not (doc.cap ~= nil and doc.cap.v <= from.cap.v) then doc.cap = from.cap end
for k, note in pairs(from.lim) do if doc.lim[k] == nil then doc.lim[k] = note end end
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', t)
local moving = redis.call('ZRANGE', KEYS[6], 0, -1, 'WITHSCORES')
for i = 1, #moving, 2 do redis.call('ZADD', KEYS[2], moving[i + 1], moving[i]) end
redis.call('DEL', KEYS[5], KEYS[6])
redis.call('ZREM', KEYS[3], ARGV[6])
local leases = leasesOf(KEYS[2])
return { 1, save(doc, leases, 'merge', ARGV[6]), leases }
`);

/**
 * KEYS: leases; ARGV: a lease's member, its answered name. A request answered 2xx keeps its slot
 * (and its lapse time) under the new name, in one step: a lease already freed is not revived.
 */
export const ANSWERED = `
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not at then return 0 end
redis.call('ZADD', KEYS[1], at, ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
`;

/**
 * KEYS: leases; ARGV: lease clock now, TTL, members… Renews the leases still held (XX: never
 * revives one that was freed or lapsed) and keeps the set until its last lease lapses.
 */
export const HEARTBEAT = `
local t = tonumber(ARGV[1])
local n = 0
for i = 3, #ARGV do n = n + redis.call('ZADD', KEYS[1], 'XX', 'CH', t + tonumber(ARGV[2]), ARGV[i]) end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(tonumber(last[2]) - t))) end
return n
`;
