/**
 * One refreshing replica per account + region: a Redis key naming its holder, claimed (taken, or
 * renewed when already ours) at every refresher tick and living `lockMs` (CLOUDTRAIL_REDIS_LOCK_MS),
 * so a replica that dies hands over within that time. Unlike the fetch lock, a lease that Redis
 * could not answer for is not assumed: the claim says `unshared`, and each replica then keeps only
 * its own cache warm at its fallback share of the quota; once Redis answers again, one holds it.
 */
import { randomUUID } from 'node:crypto';
import { redisKey } from './redisKeys';
import { UNAVAILABLE, type RedisLink } from './redisLink';
import type { Keyed, LeaseClaim, RefreshLeases } from '../types';

const CLAIM_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0
`;
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export class RedisRefreshLeases implements RefreshLeases {
  private readonly owner = randomUUID();

  constructor(private readonly link: RedisLink) {
    link.defineScript('cloudtrailLease', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
    link.defineScript('cloudtrailLeaseRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }

  async claim(key: Keyed): Promise<LeaseClaim> {
    const name = redisKey(this.link.config.prefix, 'lease', key);
    const reply = await this.link.attempt((c) => c.cloudtrailLease(name, this.owner, this.link.config.lockMs));
    if (reply === UNAVAILABLE) {
      return { state: 'local', quotaShare: 1 / this.link.config.fallbackReplicas };
    }
    return { state: reply === 1 ? 'held' : 'elsewhere' };
  }

  async release(key: Keyed): Promise<void> {
    const name = redisKey(this.link.config.prefix, 'lease', key);
    await this.link.attempt((c) => c.cloudtrailLeaseRelease(name, this.owner));
  }
}
