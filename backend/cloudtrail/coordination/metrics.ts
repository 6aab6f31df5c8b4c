/** Metrics of the Redis coordination, on the process registry that CollectMetrics exposes. */
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../../sdk/metrics';

const registers = [metricsRegistry];

export const redisCoordinated = new Gauge({
  name: 'cloudtrail_insights_redis_coordinated',
  help: '1 while quota, cache and fetch locks are shared through Redis; 0 while this process falls back to its local share.',
  registers,
});

export const redisFallbacks = new Counter({
  name: 'cloudtrail_insights_redis_fallbacks_total',
  help: 'Times Redis became unreachable (down, slow or answering errors) and this process fell back to local coordination.',
  registers,
});

export const replicatedCacheLookups = new Counter({
  name: 'cloudtrail_insights_replicated_cache_lookups_total',
  help: 'Reads of the Redis bucket store by result: hit (buckets found), miss, unavailable.',
  labelNames: ['result'] as const,
  registers,
});

export const fetchLockWaits = new Counter({
  name: 'cloudtrail_insights_fetch_lock_waits_total',
  help: 'Series fetches that waited for another replica holding the fetch lock instead of calling AWS.',
  registers,
});

export const replicatedEntriesRefused = new Counter({
  name: 'cloudtrail_insights_replicated_entries_refused_total',
  help: 'Values read from Redis and not used (a miss instead) by store (series, insights, tracked) and reason: unsigned (no MAC), forged (MAC mismatch: another secret, altered or moved), future (fetch time ahead of this clock), malformed.',
  labelNames: ['store', 'reason'] as const,
  registers,
});

export const redisOperations = new Counter({
  name: 'cloudtrail_insights_redis_operations_total',
  help: 'Operations sent to Redis (one command, one script or one MULTI transaction), probes included.',
  registers,
});
