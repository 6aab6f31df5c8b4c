/**
 * The shared Insights lists: one Redis string per account + region (insightListCodec.ts) behind
 * its MAC (integrity/entrySeal.ts), kept as long as a replica keeps its own copy (the Insights
 * cache's TTL). A list without a valid MAC, or fetched "in the future", is a miss
 * (integrity/refusals.ts): nobody can make a replica show, or hide, Insights of their choosing.
 * Redis being unavailable is a miss, and a lost write only costs another listing.
 */
import { DEFAULT_INSIGHT_TTL_MS, type InsightList } from '../../core/insights';
import { decodeInsightList, encodeInsightList } from './insightListCodec';
import { fromTheFuture, refuse } from './integrity/refusals';
import { redisKey } from './redisKeys';
import { UNAVAILABLE, type RedisLink } from './redisLink';
import type { InsightListStore, Keyed } from '../types';

export class RedisInsightLists implements InsightListStore {
  constructor(
    private readonly link: RedisLink,
    private readonly ttlMs = DEFAULT_INSIGHT_TTL_MS,
    private readonly now: () => number = Date.now
  ) {}

  async read(key: Keyed): Promise<InsightList | undefined> {
    const name = redisKey(this.link.config.prefix, 'insights', key);
    const reply = await this.link.attempt((c) => c.get(name));
    if (reply === UNAVAILABLE || reply === null) {
      return undefined;
    }
    const opened = this.link.seal.openText({ name, id: key.id }, reply);
    if ('refused' in opened) {
      return refuse('insights', opened.refused);
    }
    const list = decodeInsightList(opened.text);
    if (!list) {
      return refuse('insights', 'malformed');
    }
    return fromTheFuture(list.fetchedAtMs, this.now()) ? refuse('insights', 'future') : list;
  }

  async write(key: Keyed, list: InsightList): Promise<void> {
    const name = redisKey(this.link.config.prefix, 'insights', key);
    const value = this.link.seal.sealText({ name, id: key.id }, encodeInsightList(list));
    await this.link.attempt((c) => c.set(name, value, 'PX', this.ttlMs));
  }
}
