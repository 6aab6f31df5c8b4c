// The catalog view for tests and demos: which trails and series exist and which Insights episodes happened.
import { insightEventsBetween } from './data/insightEvents';
import type { SeriesModel } from './data/model';
import { MINUTE_MS } from './data/series';
import { DATA_TRAIL_NAME, eventDataStoresOf, trailArn } from './data/trails';
import type { World } from './data/world';
import { LOOKUP_WINDOW_MS } from './operations/lookupEvents';
import type { Catalog, EpisodeInfo, SeriesInfo } from './types';

function seriesInfo(models: SeriesModel[]): SeriesInfo[] {
  return models.map(({ eventSource, eventName, insightType, errorCode, baseRatePerMinute }) => ({
    eventSource,
    eventName,
    insightType,
    ...(errorCode ? { errorCode } : {}),
    baseRatePerMinute,
  }));
}

/** The episodes whose Start event is still listed (the last 90 days), oldest first. */
function episodeInfo(models: SeriesModel[], nowMs: number): EpisodeInfo[] {
  return insightEventsBetween(models, nowMs - LOOKUP_WINDOW_MS, nowMs, nowMs)
    .filter((e) => e.state === 'Start')
    .map(({ episode: e }) => ({
      insightId: e.insightId,
      eventSource: e.series.eventSource,
      eventName: e.series.eventName,
      insightType: e.series.insightType,
      ...(e.series.errorCode ? { errorCode: e.series.errorCode } : {}),
      startMs: e.startMinute * MINUTE_MS,
      endMs: (e.startMinute + e.durationMinutes) * MINUTE_MS,
    }))
    .sort((a, b) => a.startMs - b.startMs);
}

export function buildCatalog(world: World, accountId: string, region: string, nowMs: number): Catalog {
  const models = world.series(accountId, region);
  const dataModels = world.dataSeries(accountId, region);
  return {
    accountId,
    region,
    trailArn: trailArn(region, accountId),
    series: seriesInfo(models),
    episodes: episodeInfo(models, nowMs),
    trails: world.trails(accountId, region),
    dataEvents: {
      trailName: DATA_TRAIL_NAME,
      trailArn: trailArn(region, accountId, DATA_TRAIL_NAME),
      series: seriesInfo(dataModels),
      episodes: episodeInfo(dataModels, nowMs),
    },
    eventDataStores: eventDataStoresOf(accountId, region),
  };
}
