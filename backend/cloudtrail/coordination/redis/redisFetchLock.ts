/**
 * One fetch per series across replicas: a short Redis lock (SET NX PX) whose value names its
 * owner. The owner renews it while it works (a queued fetch can wait many quota slots), so it
 * only expires when the owner is gone — a killed replica's lock frees itself after `lockMs`.
 * Renewal and release check the owner, so a process never extends or drops another's lock.
 * Without Redis every fetch may go ahead (in-process coalescing still applies); one that was
 * waiting for another replica's fetch may wait on for up to `lockMs` (fetchOnce.ts).
 */
import { randomUUID } from 'node:crypto';
import { redisKey } from './redisKeys';
import { UNAVAILABLE, type RedisLink } from './redisLink';
import type { FetchLock, FetchLockHandle, Keyed, LockAttempt } from '../types';

const LOCK_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -1 end
return redis.call('PTTL', KEYS[1])
`;
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
const UNLOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** How often a waiter looks again for the holder's result (or a free lock). */
export const LOCK_POLL_MS = 100;

const FREE: FetchLockHandle = { release: async () => undefined };

export class RedisFetchLock implements FetchLock {
  private readonly process = randomUUID();
  private sequence = 0;

  constructor(private readonly link: RedisLink) {
    const commands = { cloudtrailLock: LOCK_SCRIPT, cloudtrailRenew: RENEW_SCRIPT, cloudtrailUnlock: UNLOCK_SCRIPT };
    for (const [name, lua] of Object.entries(commands)) {
      link.defineScript(name, { numberOfKeys: 1, lua });
    }
  }

  async tryAcquire(key: Keyed): Promise<LockAttempt> {
    const name = redisKey(this.link.config.prefix, 'lock', key);
    const owner = `${this.process}:${++this.sequence}`;
    const ttl = this.link.config.lockMs;
    const reply = await this.link.attempt((c) => c.cloudtrailLock(name, owner, ttl));
    if (reply === UNAVAILABLE) {
      return { acquired: true, handle: FREE, outage: { graceMs: ttl, retryInMs: LOCK_POLL_MS } };
    }
    if (reply !== -1) {
      return { acquired: false, retryInMs: Math.max(1, Math.min(LOCK_POLL_MS, reply)) };
    }
    const renew = setInterval(() => void this.link.attempt((c) => c.cloudtrailRenew(name, owner, ttl)), ttl / 3);
    renew.unref?.();
    return {
      acquired: true,
      handle: {
        release: async () => {
          clearInterval(renew);
          await this.link.attempt((c) => c.cloudtrailUnlock(name, owner));
        },
      },
    };
  }
}
