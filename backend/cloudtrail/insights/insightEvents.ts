/**
 * Insights events from LookupEvents (EventCategory=insight): fetched for the last 90 days, paged
 * (50 per page, 2 TPS quota through the shared limiter), parsed from their CloudTrailEvent JSON,
 * paired Start/End by their shared event id. The editors' lists and the annotations read one cache
 * of them (insightCache.ts), so opening an editor costs calls once per TTL.
 */
import { LookupEventsCommand, type CloudTrailClient, type Event } from '@aws-sdk/client-cloudtrail';
import type { Insight, InsightList, Attributions } from '../core/insights';
import { MAX_RETENTION_MS } from '../../../src/shared/retention';
import { awsCall } from '../aws/awsCall';
import type { CallBudget, CallScope, Pacing } from '../core/calls';
import { parseAttributions } from './attributions';

export const LOOKUP_PAGE_SIZE = 50;
export const DEFAULT_LOOKUP_MAX_PAGES = 20;

/** One Insights event record (Start or End), before pairing. */
export interface ParsedEvent extends Omit<Insight, 'startMs' | 'endMs'> {
  state: string;
  timeMs: number;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** One LookupEvents record → an insight event; undefined for records that are not usable. */
export function parseInsightEvent(event: Event): ParsedEvent | undefined {
  let body: Record<string, any>;
  try {
    body = JSON.parse(event.CloudTrailEvent ?? '');
  } catch {
    return undefined;
  }
  const details = body?.insightDetails;
  const eventSource = str(details?.eventSource);
  const eventName = str(details?.eventName);
  const timeMs = event.EventTime?.getTime() ?? Date.parse(body.eventTime);
  if (!details || !eventSource || !eventName || !Number.isFinite(timeMs)) {
    return undefined;
  }
  const statistics = details.insightContext?.statistics ?? {};
  const insightAverage = num(statistics.insight?.average);
  return {
    id: str(body.sharedEventID) ?? str(event.EventId) ?? `${eventSource}/${eventName}/${timeMs}`,
    eventId: str(event.EventId) ?? str(body.eventID),
    state: str(details.state) ?? 'Start',
    timeMs,
    eventSource,
    eventName,
    insightType: str(details.insightType) ?? 'ApiCallRateInsight',
    errorCode: str(details.errorCode),
    baselineAverage: num(statistics.baseline?.average),
    insightAverage,
    attributions: parseAttributions(details.insightContext?.attributions, insightAverage),
  };
}

/** Start and End events joined by id, newest first. An End without a Start keeps its own time. */
export function pairInsights(events: ParsedEvent[]): Insight[] {
  const byId = new Map<string, Insight>();
  for (const event of [...events].sort((a, b) => a.timeMs - b.timeMs)) {
    const { state, timeMs, ...rest } = event;
    const known = byId.get(event.id);
    if (state === 'End') {
      if (known) {
        // The End event's statistics cover the whole insight; the Start's only its first minute.
        known.endMs = timeMs;
        known.baselineAverage = rest.baselineAverage ?? known.baselineAverage;
        known.insightAverage = rest.insightAverage ?? known.insightAverage;
        known.attributions = rest.attributions ?? known.attributions;
      } else {
        byId.set(event.id, { ...rest, startMs: timeMs, endMs: timeMs });
      }
    } else if (!known) {
      byId.set(event.id, { ...rest, startMs: timeMs });
    }
  }
  return [...byId.values()].sort((a, b) => b.startMs - a.startMs);
}

/** One page of Insights events, as LookupEvents and ListInsightsData both answer them. */
export interface InsightsPage {
  Events?: Event[];
  NextToken?: string;
}

/**
 * Reads pages until the last one or `maxPages` (then `truncated`), and pairs the Insights events
 * they hold: the listing loop of LookupEvents and ListInsightsData alike.
 */
export async function listInsightPages(
  readPage: (token: string | undefined) => Promise<InsightsPage>,
  nowMs: number,
  maxPages: number
): Promise<InsightList> {
  const events: ParsedEvent[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const answer = await readPage(token);
    pages++;
    for (const event of answer.Events ?? []) {
      const parsed = parseInsightEvent(event);
      if (parsed) {
        events.push(parsed);
      }
    }
    token = answer.NextToken;
  } while (token && pages < maxPages);
  return { insights: pairInsights(events), fetchedAtMs: nowMs, truncated: Boolean(token), pages };
}

export async function lookupInsights(
  client: CloudTrailClient,
  scope: CallScope,
  pacing: Pacing,
  nowMs: number,
  budget: CallBudget,
  maxPages = DEFAULT_LOOKUP_MAX_PAGES
): Promise<InsightList> {
  return listInsightPages(
    (token) =>
      awsCall(
        scope,
        'LookupEvents',
        (signal) =>
          client.send(
            new LookupEventsCommand({
              EventCategory: 'insight',
              StartTime: new Date(nowMs - MAX_RETENTION_MS),
              EndTime: new Date(nowMs),
              MaxResults: LOOKUP_PAGE_SIZE,
              NextToken: token,
            }),
            { abortSignal: signal }
          ),
        budget,
        { pacing }
      ),
    nowMs,
    maxPages
  );
}
