/**
 * The editor's live hint about the period the backend will ask CloudTrail for, computed with the
 * same shared planner the backend uses, so what the editor says is what the query does.
 */
import type { DataQueryRequest, TimeRange } from '@grafana/data';

import { describePlan, planPeriod, type PlanNotice } from './shared/periodPlanner';
import type { QueryPeriod } from './shared/queryModel';

export type PeriodHint = { ok: true; text: string; notices: PlanNotice[] } | { ok: false; error: string };

export function periodHint(
  period: QueryPeriod,
  range: TimeRange,
  request?: Pick<DataQueryRequest, 'intervalMs' | 'maxDataPoints'>,
  nowMs: number = Date.now()
): PeriodHint {
  const fromMs = range.from.valueOf();
  const toMs = range.to.valueOf();
  const result = planPeriod({
    fromMs,
    toMs,
    nowMs,
    period,
    intervalMs: request?.intervalMs,
    maxDataPoints: request?.maxDataPoints,
  });
  if (!result.ok) {
    return { ok: false, error: result.error };
  }
  return { ok: true, text: describePlan(result.plan, { fromMs, toMs, nowMs }), notices: result.plan.notices };
}
