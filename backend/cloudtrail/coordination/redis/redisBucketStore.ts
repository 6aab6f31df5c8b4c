/**
 * The shared bucket cache: one Redis hash per series (`meta`, `points`; seriesCodec.ts) holding
 * what the series cache holds for it — ended buckets, which never change, and the newest bucket
 * with its fetch time, so every replica applies the same freshness rule to it — and `mac`, the
 * MAC over the key and both fields (integrity/entrySeal.ts). A value without a valid MAC, or
 * fetched "in the future", is a miss (integrity/refusals.ts), never data. The TTL is the period's
 * retention: nothing older can be asked for again. Values carry no credentials, only timestamps
 * and counts. Redis being unavailable is a miss, and a lost write only costs a call.
 */
import { HOUR_MS, RETENTION_MS } from '../../../../src/shared/retention';
import { replicatedCacheLookups } from '../metrics';
import { fromTheFuture, refuse } from './integrity/refusals';
import { redisKey } from './redisKeys';
import { UNAVAILABLE, type RedisLink } from './redisLink';
import { decodeSeries, encodeSeries } from './seriesCodec';
import type { BucketStore, Keyed, StoredSeries } from '../types';

export class RedisBucketStore implements BucketStore {
  constructor(
    private readonly link: RedisLink,
    private readonly now: () => number = Date.now
  ) {}

  async read(key: Keyed): Promise<StoredSeries | undefined> {
    const name = redisKey(this.link.config.prefix, 'series', key);
    const reply = await this.link.attempt((c) => c.hmgetBuffer(name, 'meta', 'points', 'mac'));
    if (reply === UNAVAILABLE) {
      replicatedCacheLookups.inc({ result: 'unavailable' });
      return undefined;
    }
    const series = this.open(name, key, reply);
    replicatedCacheLookups.inc({ result: series ? 'hit' : 'miss' });
    return series;
  }

  async write(key: Keyed, series: StoredSeries): Promise<void> {
    const name = redisKey(this.link.config.prefix, 'series', key);
    const { meta, points } = encodeSeries(series);
    const mac = this.link.seal.mac({ name, id: key.id }, meta, points);
    const ttl = RETENTION_MS[series.period] + HOUR_MS;
    await this.link.attempt(async (c) => {
      const results = await c.multi().hset(name, { meta, points, mac }).pexpire(name, ttl).exec();
      const failed = results?.find(([error]) => error);
      if (failed) {
        throw failed[0];
      }
    });
  }

  private open(name: string, key: Keyed, [meta, points, mac]: Array<Buffer | null>): StoredSeries | undefined {
    if (!meta && !points && !mac) {
      return undefined;
    }
    if (!meta || !points || !mac) {
      return refuse('series', 'unsigned');
    }
    if (!this.link.seal.verify({ name, id: key.id }, mac, meta.toString('utf8'), points)) {
      return refuse('series', 'forged');
    }
    const series = decodeSeries(meta.toString('utf8'), points);
    if (!series) {
      return refuse('series', 'malformed');
    }
    return fromTheFuture(series.fetchedAtMs, this.now()) ? refuse('series', 'future') : series;
  }
}
