// ListInsightsData: the Insights events of a trail that logs data events (LookupEvents lists management
// Insights only). InsightSource = the trail's ARN, DataType InsightsEvents, at most one dimension
// (EventId | EventName | EventSource), inclusive time bounds within 90 days, newest first, MaxResults
// 1-50 (default 50) and signed NextTokens of 4-1000 characters. Every rule breaks as
// InvalidParameterException (the model's only input error for this operation).
import { invalidParameter, serialization } from '../protocol/errors';
import { insightEventsBetween } from '../data/insightEvents';
import {
  checkEnum,
  checkLength,
  checkPattern,
  checkRange,
  readInteger,
  readString,
  readTimestamp,
  requireString,
  RESOURCE_ARN_PATTERN,
  TRAIL_ARN_PATTERN,
  type Input,
} from '../protocol/validation';
import type { TrailInfo } from '../types';
import type { OperationContext } from './context';
import { eventEntry, matchingEvents, type InsightFilter } from './insightEventPage';
import { LOOKUP_WINDOW_MS } from './lookupEvents';
import { nextPageToken } from './nextPageToken';
import { requireInsightsReadable, requireTrail } from './trails';

const DATA_TYPES = ['InsightsEvents'] as const;
const DIMENSION_KEYS = ['EventId', 'EventName', 'EventSource'] as const;
export const MAX_INSIGHTS_DATA_RESULTS = 50;

function parseDimensions(input: Input): InsightFilter | undefined {
  const raw = input.Dimensions;
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw serialization('Value of Dimensions must be a map.');
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length !== 1) {
    throw invalidParameter(`Dimensions must contain exactly one item; got ${entries.length}.`);
  }
  const [key, value] = entries[0];
  checkEnum('Dimensions key', key, DIMENSION_KEYS);
  if (typeof value !== 'string') {
    throw serialization(`Value of Dimensions.${key} must be a string.`);
  }
  checkLength(`Dimensions.${key}`, value, 1, 2000);
  return { key, value };
}

/** The events of the trail's data-event Insights (none unless it logs data events with Data Insights). */
function dataInsightEvents(trail: TrailInfo, from: number, to: number, ctx: OperationContext) {
  const types = new Set(
    trail.insightSelectors.filter((s) => s.eventCategories.includes('Data')).map((s) => s.insightType)
  );
  if (ctx.faults.flags.insightsDisabled || types.size === 0) {
    return [];
  }
  const series = ctx.world
    .dataSeries(ctx.accountId, ctx.region)
    .filter((s) => types.has(s.insightType) && trail.dataEventSources.includes(s.eventSource));
  return insightEventsBetween(series, from, to, ctx.nowMs);
}

export function listInsightsData(input: Input, ctx: OperationContext): Record<string, unknown> {
  const source = requireString(input, 'InsightSource');
  checkLength('InsightSource', source, 3, 256);
  checkPattern('InsightSource', source, RESOURCE_ARN_PATTERN);
  if (!TRAIL_ARN_PATTERN.test(source)) {
    throw invalidParameter(
      `InsightSource '${source}' is not a trail ARN: use arn:aws:cloudtrail:<region>:<account>:trail/<name>.`
    );
  }
  checkEnum('DataType', requireString(input, 'DataType'), DATA_TYPES);
  const dimension = parseDimensions(input);
  const startMs = readTimestamp(input, 'StartTime');
  const endMs = readTimestamp(input, 'EndTime');
  const maxResults = readInteger(input, 'MaxResults') ?? MAX_INSIGHTS_DATA_RESULTS;
  checkRange('MaxResults', maxResults, 1, MAX_INSIGHTS_DATA_RESULTS);
  const nextToken = readString(input, 'NextToken');
  if (nextToken !== undefined) {
    checkLength('NextToken', nextToken, 4, 1000);
  }
  const trail = requireTrail(source, ctx);
  requireInsightsReadable(trail, ctx, 'ListInsightsData');

  const scope = `ListInsightsData|${ctx.accountId}|${ctx.region}`;
  const params = [trail.trailArn, dimension?.key ?? null, dimension?.value ?? null, startMs ?? null, endMs ?? null];
  let from: number;
  let to: number;
  let offset = 0;
  let extra = 0;
  if (nextToken !== undefined) {
    const state = ctx.tokens.open(nextToken, scope, params);
    if (!state) {
      throw invalidParameter(
        'NextToken is invalid, expired, or was issued for different request parameters; send the same parameters as the call that returned it.'
      );
    }
    ({ s: from, e: to, o: offset } = state);
    extra = state.x ?? 0;
  } else {
    to = endMs ?? ctx.nowMs;
    if (startMs !== undefined && startMs > to) {
      throw invalidParameter('StartTime must be earlier than or equal to EndTime.');
    }
    // Insights events are kept 90 days: an older StartTime is clipped rather than rejected.
    from = Math.max(startMs ?? 0, ctx.nowMs - LOOKUP_WINDOW_MS);
  }

  const matching = matchingEvents(dataInsightEvents(trail, from, to, ctx), dimension);
  const page = matching.slice(offset, offset + maxResults);
  const next = offset + page.length;
  const token = nextPageToken(ctx, scope, params, { s: from, e: to, o: next, x: extra }, next < matching.length);
  return {
    Events: page.map((e) => eventEntry(e, ctx.accountId, ctx.region)),
    ...(token ? { NextToken: token } : {}),
  };
}
