// The data model's types: a generated series and an Insights episode on it. Types only, so the
// modules that compute them (series.ts, episodes.ts, insightEvents.ts) import them without
// importing one another's implementation.
import type { SeriesInfo } from '../types';

export interface SeriesModel extends SeriesInfo {
  /** 32-bit key identifying seed+account+region+series; every random choice derives from it. */
  key: number;
  amplitude: number;
  peakMinuteOfDay: number;
  weekendFactor: number;
  /** Memo of whole-day sums, used for Insights baselines (7-day averages). */
  daySums: Map<number, number>;
}

export interface Episode {
  series: SeriesModel;
  slot: number;
  startMinute: number;
  durationMinutes: number;
  /** Extra expected calls per minute on top of the baseline while the episode lasts. */
  extraRate: number;
  /** The Insight's GUID, which both its Start and End event records carry. */
  insightId: string;
}
