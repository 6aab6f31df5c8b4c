// The generated world of one simulator instance: series per account/region (memoised, bounded) and
// period buckets computed from the per-minute counts (a bucket's value is the SUM of its minutes).
import type { SeriesModel } from './model';
import { buildSeries, MINUTE_MS, minuteCounts, seriesId } from './series';

const MAX_CACHED_SCOPES = 256;

export const TRAIL_NAME = 'management-events';

export function trailArn(region: string, accountId: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${TRAIL_NAME}`;
}

export class World {
  private readonly scopes = new Map<string, SeriesModel[]>();

  constructor(readonly seed: string) {}

  series(accountId: string, region: string): SeriesModel[] {
    const scope = `${accountId}|${region}`;
    let found = this.scopes.get(scope);
    if (!found) {
      if (this.scopes.size >= MAX_CACHED_SCOPES) {
        this.scopes.clear();
      }
      found = buildSeries(this.seed, accountId, region);
      this.scopes.set(scope, found);
    }
    return found;
  }

  find(
    accountId: string,
    region: string,
    wanted: { eventSource: string; eventName: string; insightType: string; errorCode?: string }
  ): SeriesModel | undefined {
    const id = seriesId(wanted as SeriesModel);
    return this.series(accountId, region).find((s) => seriesId(s) === id);
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
