/**
 * Which Insights an events query, a count for alert rules, or an annotation shows: the optional
 * filters of the shared query model (already validated), the state, and the panel's time range.
 */
import type { CloudTrailInsightsQueryFields, EventState } from '../../../src/shared/queryModel';
import type { Insight } from '../core/insights';

export interface InsightFilter {
  eventSource?: string;
  eventName?: string;
  insightType?: string;
  errorCode?: string;
  state: EventState;
}

export function insightFilter(model: Partial<CloudTrailInsightsQueryFields>): InsightFilter {
  return {
    eventSource: model.eventSource || undefined,
    eventName: model.eventName || undefined,
    insightType: model.insightType || undefined,
    errorCode: model.errorCode || undefined,
    state: model.state ?? 'all',
  };
}

export const isOngoing = (insight: Insight) => insight.endMs === undefined;

/** Same event source, name, type and error code as the filter asks for (state aside). */
export function matchesSeries(insight: Insight, filter: InsightFilter): boolean {
  return (
    (!filter.eventSource || insight.eventSource === filter.eventSource) &&
    (!filter.eventName || insight.eventName === filter.eventName) &&
    (!filter.insightType || insight.insightType === filter.insightType) &&
    (!filter.errorCode || insight.errorCode === filter.errorCode)
  );
}

export function matchesState(insight: Insight, state: EventState): boolean {
  return state === 'all' || (state === 'ongoing') === isOngoing(insight);
}

/** True when the Insight was open at some point of [fromMs, toMs]; an ongoing one lasts until now. */
export function overlaps(insight: Insight, range: { fromMs: number; toMs: number }, nowMs: number): boolean {
  return insight.startMs < range.toMs && (insight.endMs ?? nowMs) >= range.fromMs;
}

/** The Insights a query shows, newest start first. */
export function selectInsights(
  insights: readonly Insight[],
  filter: InsightFilter,
  range: { fromMs: number; toMs: number },
  nowMs: number
): Insight[] {
  return insights
    .filter((i) => matchesSeries(i, filter) && matchesState(i, filter.state) && overlaps(i, range, nowMs))
    .sort((a, b) => b.startMs - a.startMs);
}
