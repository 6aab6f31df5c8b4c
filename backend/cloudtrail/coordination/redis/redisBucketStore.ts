/**
 * The shared bucket cache: one Redis hash per series (`meta`, `points`; seriesCodec.ts) holding
 * what the series cache holds for it — ended buckets, which never change, and the newest bucket
 * with its fetch time, so every replica applies the same freshness rule to it. The TTL is the
 * period's retention: nothing older can be asked for again. Values carry no credentials, only
 * timestamps and counts. Redis being unavailable is a miss, and a lost write only costs a call.
 */
import { HOUR_MS, RETENTION_MS } from '../../../../src/shared/retention';
import { replicatedCacheLookups } from '../metrics';
import { redisKey } from './redisKeys';
import { UNAVAILABLE, type RedisLink } from './redisLink';
import { decodeSeries, encodeSeries } from './seriesCodec';
import type { BucketStore, Keyed, StoredSeries } from '../types';

export class RedisBucketStore implements BucketStore {
  constructor(private readonly link: RedisLink) {}

  async read(key: Keyed): Promise<StoredSeries | undefined> {
    const name = redisKey(this.link.config.prefix, 'series', key);
    const reply = await this.link.attempt((c) => c.hmgetBuffer(name, 'meta', 'points'));
    if (reply === UNAVAILABLE) {
      replicatedCacheLookups.inc({ result: 'unavailable' });
      return undefined;
    }
    const [meta, points] = reply;
    const series = decodeSeries(meta?.toString('utf8'), points ?? undefined);
    replicatedCacheLookups.inc({ result: series ? 'hit' : 'miss' });
    return series;
  }

  async write(key: Keyed, series: StoredSeries): Promise<void> {
    const name = redisKey(this.link.config.prefix, 'series', key);
    const { meta, points } = encodeSeries(series);
    const ttl = RETENTION_MS[series.period] + HOUR_MS;
    await this.link.attempt(async (c) => {
      const results = await c.multi().hset(name, { meta, points }).pexpire(name, ttl).exec();
      const failed = results?.find(([error]) => error);
      if (failed) {
        throw failed[0];
      }
    });
  }
}
