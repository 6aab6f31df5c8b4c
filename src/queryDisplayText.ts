/** One readable line per query for Grafana's query history and the collapsed query row. */
import { displayName, seriesLabels } from './shared/labels';
import {
  EVENT_STATE_LABELS,
  INSIGHT_TYPE_LABELS,
  PERIOD_LABELS,
  isDataEventScope,
  isMetricsQuery,
  parseTrailArn,
  queryRegion,
  type MetricsQueryFields,
} from './shared/queryModel';
import type { CloudTrailInsightsQuery } from './types';

export function queryDisplayText(query: CloudTrailInsightsQuery, defaultRegion: string): string {
  const region = queryRegion(query) || defaultRegion || 'default region';
  const trail = isDataEventScope(query) && query.trailName;
  // "data events of data-events": the trail's name, also when the query holds its ARN.
  const scope = trail ? ` · data events of ${parseTrailArn(trail)?.name ?? trail}` : '';
  if (isMetricsQuery(query)) {
    if (!query.eventSource || !query.eventName) {
      return 'Metrics: choose an event source and event name';
    }
    const name = displayName(undefined, seriesLabels(query as MetricsQueryFields, region), query.valueUnit);
    return `${name} · ${region}${scope} · period ${PERIOD_LABELS[String(query.period ?? 'auto')] ?? query.period}`;
  }
  const what = [query.eventSource, query.eventName, query.errorCode].filter(Boolean).join(' ') || 'all event sources';
  const type = query.insightType ? (INSIGHT_TYPE_LABELS[query.insightType] ?? query.insightType) : 'all types';
  const state = EVENT_STATE_LABELS[query.state ?? 'all'] ?? query.state;
  const kind = query.queryType === 'annotations' ? 'Insights annotations' : 'Insights events';
  const format = query.eventsFormat === 'count' ? ' · count per series' : '';
  return `${kind}: ${what} · ${type} · ${state} · ${region}${scope}${format}`;
}
