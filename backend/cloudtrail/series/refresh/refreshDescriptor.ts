/**
 * A tracked series as the refresher shares it between replicas (a member of the Redis work list):
 * the ListInsightsMetricData fields that make the series (no credentials; the account and region
 * are the set's own key) and the span the user asked for, so the lease holder can rebuild the
 * request with its own client of the same account + region. Read back from Redis, it is checked
 * field by field: anything else is ignored, never sent.
 */
import { DATA_TYPES, INSIGHT_TYPES, isPeriodSeconds, type PeriodSeconds } from '../../../../src/shared/queryModel';
import type { MetricParams } from '../../core/series';

export interface RefreshDescriptor {
  params: MetricParams;
  period: PeriodSeconds;
  /** Length of the range last asked for (ms): what to fetch when nothing is cached. */
  spanMs: number;
}

const FIELDS = ['EventSource', 'EventName', 'InsightType', 'ErrorCode', 'TrailName', 'Period', 'DataType'] as const;
const MAX_TEXT = 2_048;

export function encodeDescriptor({ params, spanMs }: RefreshDescriptor): string {
  const fields: Record<string, unknown> = {};
  for (const name of FIELDS) {
    if (params[name] !== undefined) {
      fields[name] = params[name];
    }
  }
  return JSON.stringify({ ...fields, span: Math.round(spanMs) });
}

const text = (value: unknown) => typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT;

export function decodeDescriptor(member: string): RefreshDescriptor | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(member);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const { EventSource, EventName, InsightType, ErrorCode, TrailName, Period, DataType, span } = raw;
  const valid =
    text(EventSource) &&
    text(EventName) &&
    (INSIGHT_TYPES as readonly unknown[]).includes(InsightType) &&
    (DATA_TYPES as readonly unknown[]).includes(DataType) &&
    isPeriodSeconds(Period) &&
    (ErrorCode === undefined || text(ErrorCode)) &&
    (TrailName === undefined || text(TrailName)) &&
    typeof span === 'number' &&
    Number.isFinite(span) &&
    span > 0;
  if (!valid) {
    return undefined;
  }
  const params = {
    EventSource,
    EventName,
    InsightType,
    ...(ErrorCode !== undefined ? { ErrorCode } : {}),
    ...(TrailName !== undefined ? { TrailName } : {}),
    Period,
    DataType,
  } as MetricParams;
  return { params, period: Period, spanMs: span };
}
