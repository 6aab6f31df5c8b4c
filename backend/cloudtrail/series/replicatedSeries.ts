/**
 * The series cache of this process in front of the shared bucket store: a miss here reads the
 * store (another replica may have fetched the series) before any call, and a fetch publishes the
 * merged entry for the other replicas. With in-process coordination the store is empty and
 * fetchOnce always fetches, so behaviour is today's.
 */
import type { Keyed } from '../core/keys';
import type { SeriesCache } from './seriesCache';
import type { Range } from '../core/series';
import { fetchOnce, type FetchOnceResult, type FetchOnceSteps } from '../coordination/fetchOnce';
import type { Coordination } from '../coordination/types';

export class ReplicatedSeries {
  constructor(
    private readonly coordination: Pick<Coordination, 'buckets' | 'locks'>,
    private readonly cache: SeriesCache,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * Takes what the store holds for `key` into the cache when it is newer; true when the cache now
   * answers `want()`, read after the store answered (joiners may have widened it meanwhile), and
   * will still `aheadMs` from now (a renewal wants data that will not expire soon).
   */
  async load(key: Keyed, want: () => Range, aheadMs = 0): Promise<boolean> {
    const stored = await this.coordination.buckets.read(key);
    const local = this.cache.peek(key);
    const newer =
      stored && (!local || stored.fetchedAtMs > local.fetchedAtMs || stored.range.startMs < local.range.startMs);
    if (stored && newer) {
      this.cache.store(key, stored.period, stored.range, stored.fetchedAtMs, stored.points);
    }
    return this.cache.lookup(key, want(), this.now() + aheadMs).hit;
  }

  /** Shares the cache's entry for `key` with the other replicas. */
  async publish(key: Keyed): Promise<void> {
    const entry = this.cache.peek(key);
    if (entry) {
      await this.coordination.buckets.write(key, entry);
    }
  }

  /**
   * `fetch` as the one fetch of this series across replicas, or `{ served: true }` when the cache
   * (filled from the store) answers `want()` — read again each time, since joiners widen it.
   */
  once<T>(
    key: Keyed,
    want: () => Range,
    steps: Omit<FetchOnceSteps<T>, 'served'>,
    aheadMs = 0
  ): Promise<FetchOnceResult<T>> {
    return fetchOnce(this.coordination.locks, key, {
      ...steps,
      served: () => this.load(key, want, aheadMs),
      fetch: async () => {
        const value = await steps.fetch();
        await this.publish(key);
        return value;
      },
    });
  }
}
