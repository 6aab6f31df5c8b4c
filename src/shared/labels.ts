/**
 * Series labels and display names. Labels make every series of one query unique (Grafana's
 * data plane contract for alerting); display names come from legendFormat or a readable default.
 */
import { INSIGHT_TYPE_LABELS, type MetricsQueryFields, type ValueUnit } from './queryModel';

export type SeriesLabels = Record<string, string>;

/** Labels for one series: region, eventSource, eventName, insightType and errorCode when set. */
export function seriesLabels(
  query: Pick<MetricsQueryFields, 'eventSource' | 'eventName' | 'insightType' | 'errorCode' | 'trailName'>,
  region: string
): SeriesLabels {
  const labels: SeriesLabels = {
    region,
    eventSource: query.eventSource,
    eventName: query.eventName,
    insightType: query.insightType,
  };
  if (query.insightType === 'ApiErrorRateInsight' && query.errorCode) {
    labels.errorCode = query.errorCode;
  }
  if (query.trailName) {
    labels.trailName = query.trailName;
  }
  return labels;
}

/** Replaces `{{label}}` placeholders (spaces allowed inside the braces); unknown labels become empty. */
export function renderLegend(format: string, labels: SeriesLabels): string {
  return format.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

/** "CreateUser (iam) call rate" or "CreateUser AccessDenied (iam) error rate". */
export function defaultDisplayName(labels: SeriesLabels): string {
  const service = labels.eventSource?.replace(/\.amazonaws\.com$/, '') ?? '';
  const kind = INSIGHT_TYPE_LABELS[labels.insightType as keyof typeof INSIGHT_TYPE_LABELS] ?? labels.insightType;
  const what = labels.errorCode ? `${labels.eventName} ${labels.errorCode}` : labels.eventName;
  return `${what} (${service}) ${kind.replace(/^API /, '')}`;
}

/** The legend, else the default name; a per-minute series says so in its default name. */
export function displayName(legendFormat: string | undefined, labels: SeriesLabels, valueUnit?: ValueUnit): string {
  if (legendFormat?.trim()) {
    return renderLegend(legendFormat, labels);
  }
  return defaultDisplayName(labels) + (valueUnit === 'perMinute' ? ' per minute' : '');
}
