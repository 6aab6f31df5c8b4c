// The catalog view for tests and demos: which series exist and which Insights episodes happened.
import { insightEventsBetween } from './data/insightEvents';
import { MINUTE_MS } from './data/series';
import { trailArn, type World } from './data/world';
import { LOOKUP_WINDOW_MS } from './operations/lookupEvents';
import type { Catalog } from './types';

export function buildCatalog(world: World, accountId: string, region: string, nowMs: number): Catalog {
  const models = world.series(accountId, region);
  // The episodes whose Start event LookupEvents can still return.
  const starts = insightEventsBetween(models, nowMs - LOOKUP_WINDOW_MS, nowMs, nowMs).filter(
    (e) => e.state === 'Start'
  );
  return {
    accountId,
    region,
    trailArn: trailArn(region, accountId),
    series: models.map(({ eventSource, eventName, insightType, errorCode, baseRatePerMinute }) => ({
      eventSource,
      eventName,
      insightType,
      ...(errorCode ? { errorCode } : {}),
      baseRatePerMinute,
    })),
    episodes: starts
      .map(({ episode: e }) => ({
        insightId: e.insightId,
        eventSource: e.series.eventSource,
        eventName: e.series.eventName,
        insightType: e.series.insightType,
        ...(e.series.errorCode ? { errorCode: e.series.errorCode } : {}),
        startMs: e.startMinute * MINUTE_MS,
        endMs: (e.startMinute + e.durationMinutes) * MINUTE_MS,
      }))
      .sort((a, b) => a.startMs - b.startMs),
  };
}
