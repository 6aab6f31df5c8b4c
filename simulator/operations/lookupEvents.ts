// LookupEvents: Insights events (EventCategory=insight) with one lookup attribute, inclusive time
// bounds, newest first, MaxResults <= 50 and signed NextTokens. Individual management events are not
// modelled: without EventCategory the answer is a valid, empty page.
import { ApiError } from '../protocol/errors';
import { insightEventsBetween } from '../data/insightEvents';
import { checkEnum, checkRange, readInteger, readString, readTimestamp, type Input } from '../protocol/validation';
import type { OperationContext } from './context';
import { nextPageToken } from './nextPageToken';
import { eventEntry, matchingEvents } from './insightEventPage';

const DAY_MS = 86_400_000;
export const LOOKUP_WINDOW_MS = 90 * DAY_MS;
const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
const INSIGHT_ATTRIBUTE_KEYS = ['EventId', 'EventName', 'EventSource'];

const attributesError = (m: string) => new ApiError('InvalidLookupAttributesException', m);
const timeRangeError = (m: string) => new ApiError('InvalidTimeRangeException', m);
const maxResultsError = (m: string) => new ApiError('InvalidMaxResultsException', m);
const categoryError = (m: string) => new ApiError('InvalidEventCategoryException', m);
const tokenError = () =>
  new ApiError(
    'InvalidNextTokenException',
    'NextToken is invalid or was issued for a request with different parameters.'
  );

interface Attribute {
  key: (typeof ATTRIBUTE_KEYS)[number];
  value: string;
}

function parseAttributes(input: Input, insight: boolean): Attribute | undefined {
  const raw = input.LookupAttributes;
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (!Array.isArray(raw)) {
    throw attributesError('LookupAttributes must be a list.');
  }
  if (raw.length === 0) {
    return undefined;
  }
  if (raw.length > 1) {
    throw attributesError('You cannot specify more than one lookup attribute.');
  }
  const item = raw[0] as Input;
  const key = checkEnum('AttributeKey', String(item?.AttributeKey ?? ''), ATTRIBUTE_KEYS, attributesError);
  const value = item?.AttributeValue;
  if (typeof value !== 'string' || value.length < 1 || value.length > 2000) {
    throw attributesError('AttributeValue must be a string of 1 to 2000 characters.');
  }
  if (insight && !INSIGHT_ATTRIBUTE_KEYS.includes(key)) {
    throw attributesError(
      `AttributeKey ${key} is not supported for Insights events; use one of ${INSIGHT_ATTRIBUTE_KEYS.join(', ')}.`
    );
  }
  return { key, value };
}

export function lookupEvents(input: Input, ctx: OperationContext): Record<string, unknown> {
  const categoryValue = readString(input, 'EventCategory');
  const insight =
    categoryValue !== undefined && checkEnum('EventCategory', categoryValue, ['insight'], categoryError) === 'insight';
  const attribute = parseAttributes(input, insight);
  const startMs = readTimestamp(input, 'StartTime');
  const endMs = readTimestamp(input, 'EndTime');
  const maxResults = readInteger(input, 'MaxResults') ?? 50;
  checkRange('MaxResults', maxResults, 1, 50, maxResultsError);
  const nextToken = readString(input, 'NextToken');

  const scope = `LookupEvents|${ctx.accountId}|${ctx.region}`;
  const params = [
    categoryValue ?? null,
    attribute?.key ?? null,
    attribute?.value ?? null,
    startMs ?? null,
    endMs ?? null,
  ];
  let from: number;
  let to: number;
  let offset = 0;
  let extra = 0;
  if (nextToken !== undefined) {
    const state = ctx.tokens.open(nextToken, scope, params);
    if (!state) {
      throw tokenError();
    }
    ({ s: from, e: to, o: offset } = state);
    extra = state.x ?? 0;
  } else {
    to = endMs ?? ctx.nowMs;
    // Nothing older than 90 days exists, so earlier StartTimes are clipped rather than rejected.
    from = Math.max(startMs ?? 0, ctx.nowMs - LOOKUP_WINDOW_MS);
    if (startMs !== undefined && startMs > to) {
      throw timeRangeError('StartTime must be earlier than or equal to EndTime.');
    }
  }

  const all =
    insight && !ctx.faults.flags.insightsDisabled
      ? insightEventsBetween(ctx.world.series(ctx.accountId, ctx.region), from, to, ctx.nowMs)
      : [];
  const matching = matchingEvents(all, attribute);
  const page = matching.slice(offset, offset + maxResults);
  const next = offset + page.length;
  const token = nextPageToken(ctx, scope, params, { s: from, e: to, o: next, x: extra }, next < matching.length);

  return {
    Events: page.map((e) => eventEntry(e, ctx.accountId, ctx.region)),
    ...(token ? { NextToken: token } : {}),
  };
}
