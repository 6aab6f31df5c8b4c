// ListInsightsMetricData: validation per the model, retention per period (inclusive cutoffs),
// period-aligned buckets, FillWithZeros vs NonZeroData, MaxResults and signed NextTokens. Without
// TrailName it answers management-event series only; data-event series (S3 objects, Lambda invokes,
// DynamoDB items) answer only with the TrailName of the trail that logs them, and then carry TrailARN.
import { invalidParameter } from '../protocol/errors';
import { bucketValues } from '../data/world';
import type { SeriesModel } from '../data/model';
import {
  checkEnum,
  checkLength,
  checkPattern,
  checkRange,
  checkTrailName,
  DATA_TYPES,
  ERROR_CODE_PATTERN,
  ERROR_CODE_PATTERN_TEXT,
  EVENT_NAME_PATTERN,
  EVENT_SOURCE_PATTERN,
  INSIGHT_TYPES,
  PERIODS,
  readInteger,
  readString,
  readTimestamp,
  requireString,
  type Input,
} from '../protocol/validation';
import type { OperationContext } from './context';
import { nextPageToken } from './nextPageToken';
import { invalidTrailName, requireInsightsReadable, requireTrail } from './trails';
import type { EventCategory, TrailInfo } from '../types';

const DAY_MS = 86_400_000;
export const RETENTION_MS: Record<number, number> = { 60: 15 * DAY_MS, 300: 63 * DAY_MS, 3600: 90 * DAY_MS };
export const MAX_RESULTS = 21_600;
/** Minutes computed per scan step when skipping zero buckets. */
const SCAN_MINUTES = 43_200;

interface MetricRequest {
  eventSource: string;
  eventName: string;
  insightType: (typeof INSIGHT_TYPES)[number];
  errorCode?: string;
  trailName?: string;
  startMs?: number;
  endMs?: number;
  period: number;
  dataType: (typeof DATA_TYPES)[number];
  maxResults: number;
  nextToken?: string;
}

export function parseMetricRequest(input: Input): MetricRequest {
  const eventSource = requireString(input, 'EventSource');
  checkLength('EventSource', eventSource, 1, 256);
  checkPattern('EventSource', eventSource, EVENT_SOURCE_PATTERN);
  const eventName = requireString(input, 'EventName');
  checkLength('EventName', eventName, 1, 128);
  checkPattern('EventName', eventName, EVENT_NAME_PATTERN);
  const insightType = checkEnum('InsightType', requireString(input, 'InsightType'), INSIGHT_TYPES);
  const errorCode = readString(input, 'ErrorCode');
  if (errorCode !== undefined) {
    checkLength('ErrorCode', errorCode, 1, 128);
    if (!ERROR_CODE_PATTERN.test(errorCode)) {
      throw invalidParameter(
        `ErrorCode '${errorCode}' is not valid: it must match the pattern ${ERROR_CODE_PATTERN_TEXT} (letters, digits, whitespace and _ . , - : [ ] only).`
      );
    }
  }
  if (insightType === 'ApiErrorRateInsight' && errorCode === undefined) {
    throw invalidParameter('ErrorCode is required when InsightType is ApiErrorRateInsight.');
  }
  if (insightType === 'ApiCallRateInsight' && errorCode !== undefined) {
    throw invalidParameter('ErrorCode is only valid when InsightType is ApiErrorRateInsight.');
  }
  const trailName = readString(input, 'TrailName');
  if (trailName !== undefined) {
    checkTrailName(trailName, invalidTrailName);
  }
  const period = readInteger(input, 'Period') ?? 3600;
  if (!(PERIODS as readonly number[]).includes(period)) {
    throw invalidParameter(`Period must be one of ${PERIODS.join(', ')} seconds; got ${period}.`);
  }
  const dataType = checkEnum('DataType', readString(input, 'DataType') ?? 'NonZeroData', DATA_TYPES);
  const maxResults = readInteger(input, 'MaxResults') ?? MAX_RESULTS;
  checkRange('MaxResults', maxResults, 1, MAX_RESULTS);
  const nextToken = readString(input, 'NextToken');
  if (nextToken !== undefined) {
    checkLength('NextToken', nextToken, 1, 5000);
  }
  return {
    eventSource,
    eventName,
    insightType,
    errorCode,
    trailName,
    startMs: readTimestamp(input, 'StartTime'),
    endMs: readTimestamp(input, 'EndTime'),
    period,
    dataType,
    maxResults,
    nextToken,
  };
}

interface Window {
  /** First bucket start still to serve. */
  position: number;
  /** Last bucket start that may be served (inclusive). */
  lastBucket: number;
  start: number;
  end: number;
  /** Empty pages already served past the end (endless-token fault). */
  extra: number;
}

function resolveWindow(req: MetricRequest, ctx: OperationContext, scope: string, params: unknown): Window {
  const periodMs = req.period * 1000;
  let start: number;
  let end: number;
  let position: number;
  let extra = 0;
  if (req.nextToken !== undefined) {
    const state = ctx.tokens.open(req.nextToken, scope, params);
    if (!state) {
      throw invalidParameter('NextToken is invalid, expired, or was issued for different request parameters.');
    }
    ({ s: start, e: end, p: position } = state);
    extra = state.x ?? 0;
  } else {
    const retention = RETENTION_MS[req.period];
    const oldest = ctx.nowMs - retention;
    start = req.startMs ?? Math.max(oldest, ctx.nowMs - RETENTION_MS[3600]);
    end = req.endMs ?? ctx.nowMs;
    if (start >= end) {
      throw invalidParameter(`StartTime (${iso(start)}) must be earlier than EndTime (${iso(end)}).`);
    }
    if (start < oldest) {
      throw invalidParameter(
        `StartTime ${iso(start)} is outside the retention for Period ${req.period}: data points are kept for ${retention / DAY_MS} days (oldest allowed StartTime ${iso(oldest)}).`
      );
    }
    position = Math.ceil(start / periodMs) * periodMs;
  }
  // Buckets start in [start, end) and are served only once complete (bucket end <= now).
  const lastBucket = Math.min(
    Math.ceil(end / periodMs) * periodMs - periodMs,
    Math.floor(ctx.nowMs / periodMs) * periodMs - periodMs
  );
  return { position, lastBucket, start, end, extra };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function listInsightsMetricData(input: Input, ctx: OperationContext): Record<string, unknown> {
  const req = parseMetricRequest(input);
  const trail = req.trailName === undefined ? undefined : requireTrail(req.trailName, ctx);
  if (trail) {
    requireInsightsReadable(trail, ctx, 'ListInsightsMetricData');
  }
  const scope = `ListInsightsMetricData|${ctx.accountId}|${ctx.region}`;
  const params = [
    req.eventSource,
    req.eventName,
    req.insightType,
    req.errorCode ?? null,
    req.trailName ?? null,
    req.startMs ?? null,
    req.endMs ?? null,
    req.period,
    req.dataType,
  ];
  const window = resolveWindow(req, ctx, scope, params);
  const series = ctx.faults.flags.insightsDisabled ? undefined : seriesFor(req, trail, ctx);
  const page = req.dataType === 'FillWithZeros' ? fillPage(series, req, window) : nonZeroPage(series, req, window);

  const state = { s: window.start, e: window.end, p: page.next, x: window.extra };
  const nextToken = nextPageToken(ctx, scope, params, state, page.next <= window.lastBucket);

  return {
    ...(trail ? { TrailARN: trail.trailArn } : {}),
    EventSource: req.eventSource,
    EventName: req.eventName,
    InsightType: req.insightType,
    ...(req.errorCode !== undefined ? { ErrorCode: req.errorCode } : {}),
    Timestamps: page.timestamps.map((ms) => ms / 1000),
    Values: page.values,
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

/** Without a trail: the management-event series (data events have no metrics there). With a trail: the
 *  series of a category whose Insights of this type the trail has on (data events only if it logs them). */
function seriesFor(req: MetricRequest, trail: TrailInfo | undefined, ctx: OperationContext): SeriesModel | undefined {
  if (!trail) {
    return ctx.world.find(ctx.accountId, ctx.region, req);
  }
  const categories = trail.insightSelectors
    .filter((s) => s.insightType === req.insightType)
    .flatMap((s) => s.eventCategories)
    .filter((c) => c === 'Management' || trail.dataEventSources.includes(req.eventSource));
  for (const category of new Set<EventCategory>(categories)) {
    const found = ctx.world.find(ctx.accountId, ctx.region, req, category);
    if (found) {
      return found;
    }
  }
  return undefined;
}

interface Page {
  timestamps: number[];
  values: number[];
  /** Start of the first bucket not yet served. */
  next: number;
}

function fillPage(series: SeriesModel | undefined, req: MetricRequest, w: Window): Page {
  const periodMs = req.period * 1000;
  const available = w.position <= w.lastBucket ? (w.lastBucket - w.position) / periodMs + 1 : 0;
  const count = Math.min(available, req.maxResults);
  const values = bucketValues(series, w.position, req.period, count);
  const timestamps = values.map((_, i) => w.position + i * periodMs);
  return { timestamps, values, next: w.position + count * periodMs };
}

function nonZeroPage(series: SeriesModel | undefined, req: MetricRequest, w: Window): Page {
  const periodMs = req.period * 1000;
  const timestamps: number[] = [];
  const values: number[] = [];
  const chunkBuckets = Math.max(1, SCAN_MINUTES / (req.period / 60));
  let cursor = w.position;
  if (!series) {
    return { timestamps, values, next: w.lastBucket + periodMs };
  }
  while (cursor <= w.lastBucket) {
    const count = Math.min(chunkBuckets, (w.lastBucket - cursor) / periodMs + 1);
    const chunk = bucketValues(series, cursor, req.period, count);
    for (let i = 0; i < count; i++) {
      if (chunk[i] === 0) {
        continue;
      }
      // Stop at the first non-zero bucket that does not fit: the next page starts there.
      if (values.length === req.maxResults) {
        return { timestamps, values, next: cursor + i * periodMs };
      }
      timestamps.push(cursor + i * periodMs);
      values.push(chunk[i]);
    }
    cursor += count * periodMs;
  }
  return { timestamps, values, next: cursor };
}
