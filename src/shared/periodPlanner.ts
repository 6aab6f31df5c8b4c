/**
 * Maps a Grafana time range and interval onto the Period, StartTime and EndTime that
 * ListInsightsMetricData will be asked for. Shared so the editor's hint and the backend's call agree.
 */
import { humanDuration, isoMinute, periodLabel } from './duration';
import { PeriodSeconds, QueryPeriod } from './queryModel';
import { MAX_RETENTION_MS, PERIODS_ASCENDING, RETENTION_MS, isRetained, retentionCutoff } from './retention';

export interface PlanInput {
  fromMs: number;
  toMs: number;
  /** Grafana's suggested interval for the panel (0 or absent = no constraint). */
  intervalMs?: number;
  /** The panel's width in points (0 or absent = no constraint). */
  maxDataPoints?: number;
  nowMs: number;
  period: QueryPeriod;
}

export interface PlanNotice {
  severity: 'info' | 'warning';
  text: string;
}

export interface PeriodPlan {
  period: PeriodSeconds;
  /** True when the planner chose the period (query period `auto`). */
  auto: boolean;
  /** Aligned to a whole period; inclusive. */
  startTimeMs: number;
  /** Aligned to a whole period; exclusive. Never later than the period containing now. */
  endTimeMs: number;
  /** Number of buckets in [start, end). */
  bucketCount: number;
  notices: PlanNotice[];
}

export type PlanResult = { ok: true; plan: PeriodPlan } | { ok: false; error: string };

const floorTo = (ms: number, stepMs: number) => Math.floor(ms / stepMs) * stepMs;
const ceilTo = (ms: number, stepMs: number) => Math.ceil(ms / stepMs) * stepMs;

/** The smallest period at least as coarse as `minimum` whose retention still holds `startMs`. */
function coarsestNeeded(minimumSeconds: number, startMs: number, nowMs: number): PeriodSeconds {
  const fits = PERIODS_ASCENDING.find((p) => p >= minimumSeconds && isRetained(p, startMs, nowMs));
  return fits ?? PERIODS_ASCENDING[PERIODS_ASCENDING.length - 1];
}

/** The start aligned down to the period, or up when aligning down would leave retention. */
function alignStart(startMs: number, period: PeriodSeconds, nowMs: number): number {
  const stepMs = period * 1000;
  const down = floorTo(startMs, stepMs);
  return isRetained(period, down, nowMs) ? down : ceilTo(retentionCutoff(period, nowMs), stepMs);
}

export function planPeriod(input: PlanInput): PlanResult {
  const { fromMs, toMs, nowMs } = input;
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || !Number.isFinite(nowMs)) {
    return { ok: false, error: 'The time range is not valid.' };
  }
  if (fromMs >= toMs) {
    return {
      ok: false,
      error: `The time range is empty or reversed: from ${isoMinute(fromMs)} is not before to ${isoMinute(toMs)}.`,
    };
  }
  const oldest = nowMs - MAX_RETENTION_MS;
  if (toMs <= oldest) {
    return {
      ok: false,
      error: `The whole time range is older than 90 days; CloudTrail keeps Insights metrics only since ${isoMinute(oldest)}.`,
    };
  }
  if (fromMs >= nowMs) {
    return { ok: false, error: `The time range starts in the future (${isoMinute(fromMs)}); there is no data yet.` };
  }

  const notices: PlanNotice[] = [];
  let startMs = fromMs;
  if (startMs < oldest) {
    startMs = oldest;
    notices.push({
      severity: 'info',
      text: `CloudTrail keeps Insights metrics for 90 days: showing data from ${isoMinute(oldest)} instead of ${isoMinute(fromMs)}.`,
    });
  }
  const endMs = Math.min(toMs, nowMs);

  const points = input.maxDataPoints ?? 0;
  const neededSeconds = Math.max((input.intervalMs ?? 0) / 1000, points > 0 ? (toMs - fromMs) / 1000 / points : 0);

  let period: PeriodSeconds;
  if (input.period === 'auto') {
    period = coarsestNeeded(neededSeconds, startMs, nowMs);
  } else {
    period = coarsestNeeded(input.period, startMs, nowMs);
    if (period !== input.period) {
      notices.push({
        severity: 'warning',
        text: `Period ${periodLabel(input.period)} is kept for ${humanDuration(RETENTION_MS[input.period])} only and this range starts ${humanDuration(nowMs - startMs)} ago: using ${periodLabel(period)}.`,
      });
    }
  }

  const stepMs = period * 1000;
  const startTimeMs = alignStart(startMs, period, nowMs);
  const endTimeMs = Math.max(ceilTo(endMs, stepMs), startTimeMs + stepMs);
  return {
    ok: true,
    plan: {
      period,
      auto: input.period === 'auto',
      startTimeMs,
      endTimeMs,
      bucketCount: (endTimeMs - startTimeMs) / stepMs,
      notices,
    },
  };
}

/** The editor's hint, e.g. "Period: 300 s (auto, last 30 days)". */
export function describePlan(plan: PeriodPlan, input: Pick<PlanInput, 'fromMs' | 'toMs' | 'nowMs'>): string {
  const span = humanDuration(input.toMs - input.fromMs);
  const window = input.nowMs - input.toMs <= plan.period * 1000 ? `last ${span}` : `${span} range`;
  return `Period: ${periodLabel(plan.period)} (${plan.auto ? 'auto' : 'fixed'}, ${window})`;
}
