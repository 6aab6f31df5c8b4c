/**
 * The shared quota as one atomic Lua script per step, on Redis' own clock (so replicas' clock
 * skew does not matter). Per quota key:
 * - KEYS[1] hash `tat` (the theoretical arrival time of the next free slot, GCRA) and `blocked`
 *   (until when a throttled answer keeps everyone off);
 * - KEYS[2] sorted set of waiters, ordered by arrival time plus their priority's offset;
 * - KEYS[3] hash waiter → lease expiry, so a killed replica's waiters drop out of the queue.
 *
 * `take`: joins the queue (first call) or renews the lease, drops dead waiters at the head, and
 * grants the slot only to the head once it is free; otherwise answers how long to wait, or that
 * the slot would fall after the deadline (and leaves the queue). `leave`: an aborted waiter gives
 * its place back. `block`: a throttled answer pushes the next slot back for everyone.
 */
export const QUOTA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local op = ARGV[1]
local member = ARGV[2]
if op == 'block' then
  local untilMs = now + tonumber(ARGV[3])
  local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked') or '0')
  if untilMs > blocked then
    redis.call('HSET', KEYS[1], 'blocked', untilMs)
  end
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 60000)
  return {0, 0}
end
if op == 'leave' then
  redis.call('ZREM', KEYS[2], member)
  redis.call('HDEL', KEYS[3], member)
  return {0, 0}
end
local offset = tonumber(ARGV[3])
local spacing = tonumber(ARGV[4])
local lease = tonumber(ARGV[5])
local deadline = tonumber(ARGV[6])
local fresh = redis.call('ZADD', KEYS[2], 'NX', now + offset, member)
redis.call('HSET', KEYS[3], member, now + lease)
-- Dead waiters at the head would hold everyone back: drop them (bounded work per call).
for _ = 1, 20 do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not head then break end
  local expiry = tonumber(redis.call('HGET', KEYS[3], head) or '0')
  if expiry >= now then break end
  redis.call('ZREM', KEYS[2], head)
  redis.call('HDEL', KEYS[3], head)
end
local idle = 60000 + spacing
redis.call('PEXPIRE', KEYS[2], idle)
redis.call('PEXPIRE', KEYS[3], idle)
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or '0')
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked') or '0')
local free = math.max(now, tat, blocked)
local rank = redis.call('ZRANK', KEYS[2], member)
if rank == 0 and free <= now then
  redis.call('HSET', KEYS[1], 'tat', now + spacing)
  redis.call('PEXPIRE', KEYS[1], idle)
  redis.call('ZREM', KEYS[2], member)
  redis.call('HDEL', KEYS[3], member)
  return {1, 0}
end
local wait = free - now + rank * spacing
if fresh == 1 and deadline >= 0 and wait > deadline then
  redis.call('ZREM', KEYS[2], member)
  redis.call('HDEL', KEYS[3], member)
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
