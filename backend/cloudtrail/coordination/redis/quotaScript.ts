/**
 * The shared quota as one atomic Lua script per step, on Redis' own clock (so replicas' clock
 * skew does not matter), with the local limiter's rules (callPriority.ts): alerts first, at most
 * ALERT_RUN alerts in a row while a dashboard query waits, background last, arrival order within
 * a class. Per quota key (one hash tag, so one Cluster slot):
 * - `state` hash: `tat` (when the next slot is free, GCRA), `blocked` (until when a throttled
 *   answer keeps everyone off), `run` (alerts granted in a row while a dashboard query waited);
 * - one sorted set of waiters per priority, scored by arrival time (µs);
 * - `leases` (waiter → expiry, renewed at every poll, so a killed replica's waiters drop out) and
 *   `arrivals` (waiter → arrival, kept when its priority changes).
 * Every key expires a minute after its quota was last used (a throttle's block: a minute after it ends).
 *
 * `take`: joins the line or renews the lease, moves the waiter to its current priority, drops dead
 * waiters at the heads, and grants the slot when it is free and the rule picks this waiter;
 * otherwise answers how long to wait, or (on joining) that the turn would fall after the
 * deadline. `leave`: an aborted waiter gives its place back. `block`: a throttle pushes everyone back.
 * `took`: the granted caller is sending now; the next slot is a spacing after this moment.
 */
const PRIORITIES = ['alert', 'interactive', 'background'] as const;

export const QUOTA_KEY_SUFFIXES = ['state', ...PRIORITIES, 'leases', 'arrivals'] as const;

export const QUOTA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- Arrival order in microseconds: callers of one burst join within the same millisecond.
local micros = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state, leases, arrivals = KEYS[1], KEYS[5], KEYS[6]
local sets = { alert = KEYS[2], interactive = KEYS[3], background = KEYS[4] }
local op, member = ARGV[1], ARGV[2]
local function forget(m)
  for _, set in pairs(sets) do redis.call('ZREM', set, m) end
  redis.call('HDEL', leases, m)
  redis.call('HDEL', arrivals, m)
end
if op == 'block' then
  local untilMs = now + tonumber(ARGV[3])
  if untilMs > tonumber(redis.call('HGET', state, 'blocked') or '0') then
    redis.call('HSET', state, 'blocked', untilMs)
  end
  redis.call('PEXPIRE', state, tonumber(ARGV[3]) + 60000)
  return {0, 0}
end
if op == 'leave' then
  forget(member)
  return {0, 0}
end
if op == 'took' then
  -- The granted caller sends its call now, maybe later than its grant (a busy replica): the next
  -- slot is a full spacing after that, so the service never sees two calls closer than the spacing.
  local nextFree = now + tonumber(ARGV[3])
  if nextFree > tonumber(redis.call('HGET', state, 'tat') or '0') then
    redis.call('HSET', state, 'tat', nextFree)
  end
  redis.call('PEXPIRE', state, tonumber(ARGV[3]) + 60000)
  return {0, 0}
end
local priority, spacing, lease, deadline, alertRun =
  ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local arrival = tonumber(redis.call('HGET', arrivals, member))
local fresh = arrival == nil
if fresh then
  arrival = micros
  redis.call('HSET', arrivals, member, string.format('%.0f', arrival))
end
for name, set in pairs(sets) do
  if name ~= priority then redis.call('ZREM', set, member) end
end
redis.call('ZADD', sets[priority], string.format('%.0f', arrival), member)
redis.call('HSET', leases, member, now + lease)
local idle = 60000 + spacing
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, idle) end
-- The head of each line, after dropping dead waiters there (bounded work per call).
local heads = {}
for name, set in pairs(sets) do
  for _ = 1, 20 do
    local head = redis.call('ZRANGE', set, 0, 0)[1]
    if not head or tonumber(redis.call('HGET', leases, head) or '0') >= now then
      heads[name] = head
      break
    end
    forget(head)
  end
end
local run = tonumber(redis.call('HGET', state, 'run') or '0')
local chosen, nextRun = heads.background, 0
if heads.alert and (not heads.interactive or run < alertRun) then
  chosen = heads.alert
  if heads.interactive then nextRun = run + 1 end
elseif heads.interactive then
  chosen = heads.interactive
end
local free = math.max(now, tonumber(redis.call('HGET', state, 'tat') or '0'),
  tonumber(redis.call('HGET', state, 'blocked') or '0'))
if chosen == member and free <= now then
  redis.call('HSET', state, 'tat', now + spacing, 'run', nextRun)
  -- Created here on a first grant (after the expiries above): it expires like the rest.
  redis.call('PEXPIRE', state, idle)
  forget(member)
  return {1, 0}
end
-- How many are served before this waiter, by the same rule (later arrivals aside).
local function before(name) return redis.call('ZCOUNT', sets[name], '-inf', '(' .. string.format('%.0f', arrival)) end
local alerts, interactive = redis.call('ZCARD', sets.alert), redis.call('ZCARD', sets.interactive)
local ahead
if priority == 'alert' then
  local a = before('alert')
  ahead = a + math.min(interactive, math.floor((run + a) / alertRun))
elseif priority == 'interactive' then
  local i = before('interactive')
  ahead = i + math.min(alerts, alertRun - run + i * alertRun)
else
  ahead = alerts + interactive + before('background')
end
local wait = free - now + ahead * spacing
if fresh and deadline >= 0 and wait > deadline then
  forget(member)
  return {-1, wait}
end
return {0, wait}
`;

export type TakeAnswer = { kind: 'granted' } | { kind: 'wait'; waitMs: number } | { kind: 'late'; waitMs: number };

/** Reads the script's `{status, ms}` reply. */
export function takeAnswer(reply: unknown): TakeAnswer {
  const [status, ms] = Array.isArray(reply) ? reply.map(Number) : [NaN, NaN];
  if (status === 1) {
    return { kind: 'granted' };
  }
  if ((status === 0 || status === -1) && Number.isFinite(ms)) {
    return { kind: status === 0 ? 'wait' : 'late', waitMs: Math.max(0, ms) };
  }
  throw new Error('unexpected reply from the quota script');
}
