/**
 * Brings any saved query (older versions, hand-written provisioning YAML, partial drafts) to the
 * current model. Unknown values are kept so validation can name them rather than hide them.
 */
import { CloudTrailInsightsQuery, DEFAULT_QUERY, QUERY_MODEL_VERSION, QueryPeriod } from './queryModel';

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
 * Version 0 (unversioned drafts) used `source`/`name`/`type` and a `metric` of `calls`/`errors`;
 * the current model uses the API's own parameter names.
 */
export function migrateQuery(saved: Saved & { refId?: string }): CloudTrailInsightsQuery {
  const legacyType =
    saved.metric === 'errors' ? 'ApiErrorRateInsight' : saved.metric === 'calls' ? 'ApiCallRateInsight' : undefined;
  const query: CloudTrailInsightsQuery = {
    ...(saved as object),
    refId: str(saved.refId) ?? 'A',
    eventSource: (str(saved.eventSource) ?? str(saved.source) ?? '').trim(),
    eventName: (str(saved.eventName) ?? str(saved.name) ?? '').trim(),
    insightType: (str(saved.insightType) ??
      str(saved.type) ??
      legacyType ??
      DEFAULT_QUERY.insightType) as CloudTrailInsightsQuery['insightType'],
    period: migratePeriod(saved.period),
    dataType: (str(saved.dataType) ?? DEFAULT_QUERY.dataType) as CloudTrailInsightsQuery['dataType'],
    modelVersion: QUERY_MODEL_VERSION,
  };
  for (const [key, value] of [
    ['errorCode', saved.errorCode],
    ['region', saved.region],
    ['legendFormat', saved.legendFormat ?? saved.legend],
    ['trailName', saved.trailName],
  ] as const) {
    const text = str(value)?.trim();
    if (text) {
      query[key] = text;
    } else {
      delete query[key];
    }
  }
  for (const legacy of ['source', 'name', 'type', 'metric', 'legend']) {
    delete (query as unknown as Saved)[legacy];
  }
  return query;
}
