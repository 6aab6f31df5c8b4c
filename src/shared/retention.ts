/** How long CloudTrail keeps Insights metrics at each Period (cutoffs inclusive). */
import { PERIODS_SECONDS, PeriodSeconds } from './queryModel';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const RETENTION_MS: Record<PeriodSeconds, number> = {
  60: 15 * DAY_MS,
  300: 63 * DAY_MS,
  3600: 90 * DAY_MS,
};

/** The longest retention of any period: nothing older than this exists. */
export const MAX_RETENTION_MS = RETENTION_MS[3600];

/** The API's MaxResults ceiling: the most points one page can hold. */
export const MAX_POINTS_PER_PAGE = 21_600;

/** The oldest timestamp (epoch ms, inclusive) that still has data at `period`. */
export function retentionCutoff(period: PeriodSeconds, nowMs: number): number {
  return nowMs - RETENTION_MS[period];
}

/** True when data at `period` still exists for `startMs` (inclusive cutoff). */
export function isRetained(period: PeriodSeconds, startMs: number, nowMs: number): boolean {
  return startMs >= retentionCutoff(period, nowMs);
}

/** Periods from finest to coarsest (PERIODS_SECONDS is listed in that order; retention.test.ts holds it to it). */
export const PERIODS_ASCENDING: readonly PeriodSeconds[] = PERIODS_SECONDS;
