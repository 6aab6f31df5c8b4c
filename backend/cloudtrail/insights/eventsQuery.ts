/**
 * Runs one Insights events query: the shared Insights list (LookupEvents for management events, or
 * ListInsightsData for a trail's data events; all pages within the 2 TPS quota) → the query's
 * filters and time range → a table, or counts per series for alerts.
 */
import type { DataResponse } from '../../sdk/types';
import type { Notice } from '../../sdk/frame';
import type { CloudTrailInsightsQuery } from '../../../src/shared/queryModel';
import { countFrames } from './countFrames';
import { eventsFrame } from './eventsFrame';
import { LOOKUP_PAGE_SIZE } from './insightEvents';
import { type InsightList } from '../core/insights';
import { insightFilter, matchesSeries, selectInsights, type InsightFilter } from './insightFilter';
import { STATUS } from '../core/errors';

export interface EventsQueryInput {
  refId: string;
  model: CloudTrailInsightsQuery;
  region: string;
  range: { fromMs: number; toMs: number };
  list: InsightList;
  nowMs: number;
  /** Data-event scope: the trail whose ListInsightsData listing `list` is. */
  trail?: string;
}

/** Said on every answer built from a list the page bound cut short. */
export function truncationNotice(list: InsightList, trail?: string): Notice | undefined {
  if (!list.truncated) {
    return undefined;
  }
  const read = (list.pages ?? 0) * LOOKUP_PAGE_SIZE;
  const what = trail ? `data-event Insights events of trail ${trail}` : 'Insights events';
  return {
    severity: 'warning',
    text:
      `Only the newest ${read.toLocaleString('en-US')} ${what} of the last 90 days were read ` +
      `(${list.pages} pages of ${LOOKUP_PAGE_SIZE}, the page bound); older Insights are missing here.`,
  };
}

/** The call a list comes from, for the inspector: LookupEvents, or ListInsightsData on the trail. */
export function describeListing(region: string, trail?: string): string {
  return trail
    ? `ListInsightsData InsightSource=${trail} DataType=InsightsEvents region=${region}`
    : `LookupEvents EventCategory=insight region=${region}`;
}

export function describeLookup(filter: InsightFilter, region: string, trail?: string): string {
  const parts = [
    filter.eventSource && `eventSource=${filter.eventSource}`,
    filter.eventName && `eventName=${filter.eventName}`,
    filter.insightType && `insightType=${filter.insightType}`,
    filter.errorCode && `errorCode=${filter.errorCode}`,
    `state=${filter.state}`,
  ].filter(Boolean);
  return `${describeListing(region, trail)} (last 90 days, all pages, cached ≤ 1 min); filter ${parts.join(' ')}`;
}

export function runEventsQuery(input: EventsQueryInput): DataResponse {
  const filter = insightFilter(input.model);
  const rows = selectInsights(input.list.insights, filter, input.range, input.nowMs);
  const notice = truncationNotice(input.list, input.trail);
  const notices = notice ? [notice] : [];
  const executedQueryString = describeLookup(filter, input.region, input.trail);
  if (input.model.eventsFormat === 'count') {
    const what =
      filter.state === 'ongoing' ? 'ongoing Insights' : filter.state === 'ended' ? 'ended Insights' : 'Insights';
    return {
      status: STATUS.ok,
      frames: countFrames({
        refId: input.refId,
        region: input.region,
        trail: input.trail,
        candidates: input.list.insights.filter((i) => matchesSeries(i, filter)),
        counted: rows,
        description: `Number of ${what} open during the time range`,
        executedQueryString,
        notices,
      }),
    };
  }
  return {
    status: STATUS.ok,
    frames: [
      eventsFrame({
        refId: input.refId,
        region: input.region,
        trail: input.trail,
        insights: rows,
        nowMs: input.nowMs,
        executedQueryString,
        notices,
      }),
    ],
  };
}
