/**
 * The shared Insights lists: one Redis string per account + region (insightListCodec.ts), kept as
 * long as a replica keeps its own copy (the Insights cache's TTL). Redis being unavailable is a
 * miss, and a lost write only costs another listing.
 */
import { DEFAULT_INSIGHT_TTL_MS, type InsightList } from '../../core/insights';
import { decodeInsightList, encodeInsightList } from './insightListCodec';
import { redisKey } from './redisKeys';
import { UNAVAILABLE, type RedisLink } from './redisLink';
import type { InsightListStore, Keyed } from '../types';

export class RedisInsightLists implements InsightListStore {
  constructor(
    private readonly link: RedisLink,
    private readonly ttlMs = DEFAULT_INSIGHT_TTL_MS
  ) {}

  async read(key: Keyed): Promise<InsightList | undefined> {
    const reply = await this.link.attempt((c) => c.get(redisKey(this.link.config.prefix, 'insights', key)));
    return reply === UNAVAILABLE ? undefined : decodeInsightList(reply);
  }

  async write(key: Keyed, list: InsightList): Promise<void> {
    const name = redisKey(this.link.config.prefix, 'insights', key);
    await this.link.attempt((c) => c.set(name, encodeInsightList(list), 'PX', this.ttlMs));
  }
}
