/**
 * Brings any saved query (older versions, hand-written provisioning YAML, partial drafts) to the
 * current model. Unknown values are kept so validation can name them rather than hide them.
 */
import {
  CloudTrailInsightsQuery,
  DEFAULT_QUERY,
  QUERY_MODEL_VERSION,
  QueryPeriod,
  isMetricsQuery,
  type InsightType,
} from './queryModel';

type Saved = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** Period may have been saved as a number, a numeric string ("300"), "5m"/"1h" shorthand, or empty. */
export function migratePeriod(value: unknown): QueryPeriod {
  if (value === undefined || value === null || value === '' || value === 'auto') {
    return 'auto';
  }
  const shorthand: Record<string, number> = { '1m': 60, '5m': 300, '1h': 3600, '60s': 60, '300s': 300, '3600s': 3600 };
  const seconds = typeof value === 'string' && value in shorthand ? shorthand[value] : Number(value);
  // An invalid number is passed through so the validator names it instead of silently using auto.
  return seconds as QueryPeriod;
}

/**
 * The insight type a saved query asks for. Metrics need one (default call rate); events and
 * annotations treat it as a filter, empty meaning all types. Annotations saved by the version 1
 * editor always carried the metrics' default (it had no control for it), so it is dropped there;
 * unversioned (hand-written) ones keep what they name.
 */
function migrateInsightType(saved: Saved): InsightType | undefined {
  const legacyType =
    saved.metric === 'errors' ? 'ApiErrorRateInsight' : saved.metric === 'calls' ? 'ApiCallRateInsight' : undefined;
  const given = (str(saved.insightType)?.trim() || str(saved.type)?.trim() || legacyType) as InsightType | undefined;
  if (isMetricsQuery(saved as { queryType?: string })) {
    return given ?? DEFAULT_QUERY.insightType;
  }
  if (saved.queryType === 'annotations' && saved.modelVersion === 1 && given === DEFAULT_QUERY.insightType) {
    return undefined;
  }
  return given;
}

/**
 * Version 0 (unversioned drafts) used `source`/`name`/`type` and a `metric` of `calls`/`errors`;
 * the current model uses the API's own parameter names.
 */
export function migrateQuery(saved: Saved & { refId?: string }): CloudTrailInsightsQuery {
  const query: CloudTrailInsightsQuery = {
    ...(saved as object),
    refId: str(saved.refId) ?? 'A',
    eventSource: (str(saved.eventSource) ?? str(saved.source) ?? '').trim(),
    eventName: (str(saved.eventName) ?? str(saved.name) ?? '').trim(),
    insightType: migrateInsightType(saved),
    modelVersion: QUERY_MODEL_VERSION,
  };
  // Period and data type shape metrics only; other types keep what they carry and get no defaults.
  const metrics = isMetricsQuery(saved as { queryType?: string });
  if (metrics || saved.period !== undefined) {
    query.period = migratePeriod(saved.period);
  }
  if (metrics || saved.dataType !== undefined) {
    query.dataType = (str(saved.dataType) ?? DEFAULT_QUERY.dataType) as CloudTrailInsightsQuery['dataType'];
  }
  for (const [key, value] of [
    ['errorCode', saved.errorCode],
    ['region', saved.region],
    ['legendFormat', saved.legendFormat ?? saved.legend],
    ['eventCategory', saved.eventCategory],
    ['trailName', saved.trailName],
    ['insightType', query.insightType],
    ['valueUnit', saved.valueUnit],
    ['state', saved.state],
    ['eventsFormat', saved.eventsFormat],
  ] as const) {
    const text = str(value)?.trim();
    if (text) {
      (query as unknown as Saved)[key] = text;
    } else {
      delete query[key];
    }
  }
  // Before scopes (version 3) a trail name alone asked for that trail's data-event Insights.
  if (query.trailName && query.eventCategory === undefined) {
    query.eventCategory = 'data';
  }
  for (const legacy of ['source', 'name', 'type', 'metric', 'legend']) {
    delete (query as unknown as Saved)[legacy];
  }
  return query;
}
