/**
 * Picks the coordination of this process from the operator's settings (redis/redisConfig.ts): in-process when
 * CLOUDTRAIL_REDIS_URL (and CLOUDTRAIL_REDIS_SENTINELS) is unset, Redis otherwise (one server, a Cluster or Sentinel), with the local limiter at 1/N of each quota
 * as the fallback while Redis is unreachable (and when the URL cannot be used at all).
 */
import { logger } from '../../sdk/logger';
import { errorMessage } from '../../sdk/errorMessage';
import { RateLimiter } from '../pacing/rateLimiter';
import { DEFAULT_FALLBACK_REPLICAS, redisConfig, settingName, type RedisConfig } from './redis/redisConfig';
import { LocalQuotaGate, localCoordination } from './localCoordination';
import { RedisBucketStore } from './redis/redisBucketStore';
import { RedisFetchLock } from './redis/redisFetchLock';
import { RedisInsightLists } from './redis/redisInsightLists';
import { RedisLink } from './redis/redisLink';
import { RedisQuotaGate } from './redis/redisQuotaGate';
import { RedisRefreshLeases } from './redis/redisRefreshLeases';
import { RedisSeriesTracking } from './redis/redisSeriesTracking';
import type { Coordination } from './types';

/** The health check's word on integrity: keyed by the operator's secret, or only bound to the key. */
function integrityNote(link: RedisLink): string {
  return link.seal.keyed
    ? `replicated values carry a MAC keyed by ${settingName('REDIS_SHARED_SECRET')}`
    : `replicated values are bound to their keys, but anyone who can write to this Redis could forge them: set ${settingName('REDIS_SHARED_SECRET')} on every replica (recommended)`;
}

export function redisCoordination(config: RedisConfig): Coordination {
  const link = new RedisLink(config);
  const fallback = new LocalQuotaGate(new RateLimiter(), 1 / config.fallbackReplicas);
  return {
    quota: new RedisQuotaGate(link, fallback),
    buckets: new RedisBucketStore(link),
    insightLists: new RedisInsightLists(link),
    locks: new RedisFetchLock(link),
    tracking: new RedisSeriesTracking(link),
    leases: new RedisRefreshLeases(link),
    describe: async () => {
      const usable = await link.usable();
      const where = link.where();
      return usable
        ? `shared quota and cache: ${where} reachable; ${integrityNote(link)}`
        : `shared quota and cache: ${where} unreachable, this replica uses 1/${config.fallbackReplicas} of each quota and its own cache until it answers: ${link.problem ?? 'it does not answer'}`;
    },
    close: () => link.close(),
  };
}

/** `settings`: the operator's settings (plugin/operatorSettings.ts), keyed CLOUDTRAIL_REDIS_URL etc. */
export function createCoordination(settings: Readonly<Record<string, string | undefined>>): Coordination {
  let config: RedisConfig | undefined;
  try {
    config = redisConfig(settings);
  } catch (error) {
    const problem = errorMessage(error);
    logger.error('Redis coordination is not usable; pacing each quota locally at a conservative share', {
      error: problem,
    });
    const share = 1 / DEFAULT_FALLBACK_REPLICAS;
    return localCoordination(new LocalQuotaGate(new RateLimiter(), share), `shared quota and cache: ${problem}`);
  }
  return config ? redisCoordination(config) : localCoordination(new RateLimiter());
}
