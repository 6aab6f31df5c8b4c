// The generated world of one simulator instance: series per account/region (memoised, bounded), the
// trails each account sees, and period buckets computed from the per-minute counts (a bucket's value is
// the SUM of its minutes).
import type { SeriesModel } from './model';
import { buildSeries, MINUTE_MS, minuteCounts, seriesId } from './series';
import { findTrail, trailsSeenBy } from './trails';
import type { EventCategory, SimulatorOrganization, TrailInfo } from '../types';

const MAX_CACHED_SCOPES = 256;

export { TRAIL_NAME, trailArn } from './trails';

type Wanted = { eventSource: string; eventName: string; insightType: string; errorCode?: string };

export class World {
  private readonly scopes = new Map<string, SeriesModel[]>();

  constructor(
    readonly seed: string,
    readonly organization?: SimulatorOrganization
  ) {}

  /** Management-event series: what ListInsightsMetricData answers without TrailName, LookupEvents lists. */
  series(accountId: string, region: string): SeriesModel[] {
    return this.memo(accountId, region, 'Management');
  }

  /** Data-event series of the data-event trail: only ListInsightsMetricData with its TrailName and
   *  ListInsightsData see them. */
  dataSeries(accountId: string, region: string): SeriesModel[] {
    return this.memo(accountId, region, 'Data');
  }

  trails(accountId: string, region: string): TrailInfo[] {
    return trailsSeenBy(accountId, region, this.organization);
  }

  findTrail(nameOrArn: string, accountId: string, region: string): TrailInfo | undefined {
    return findTrail(nameOrArn, accountId, region, this.organization);
  }

  find(
    accountId: string,
    region: string,
    wanted: Wanted,
    category: EventCategory = 'Management'
  ): SeriesModel | undefined {
    const id = seriesId(wanted as SeriesModel);
    return this.memo(accountId, region, category).find((s) => seriesId(s) === id);
  }

  private memo(accountId: string, region: string, category: EventCategory): SeriesModel[] {
    const scope = `${accountId}|${region}|${category}`;
    let found = this.scopes.get(scope);
    if (!found) {
      if (this.scopes.size >= MAX_CACHED_SCOPES) {
        this.scopes.clear();
      }
      found = buildSeries(this.seed, accountId, region, category);
      this.scopes.set(scope, found);
    }
    return found;
  }
}

/** Values of `count` consecutive buckets of `periodSeconds` starting at the aligned `firstBucketMs`. */
export function bucketValues(
  series: SeriesModel | undefined,
  firstBucketMs: number,
  periodSeconds: number,
  count: number
): number[] {
  const values = new Array<number>(count).fill(0);
  if (!series || count <= 0) {
    return values;
  }
  const minutesPerBucket = periodSeconds / 60;
  const minutes = minuteCounts(series, firstBucketMs / MINUTE_MS, count * minutesPerBucket);
  if (minutesPerBucket === 1) {
    return minutes;
  }
  for (let b = 0; b < count; b++) {
    let sum = 0;
    const base = b * minutesPerBucket;
    for (let i = 0; i < minutesPerBucket; i++) {
      sum += minutes[base + i];
    }
    values[b] = sum;
  }
  return values;
}
