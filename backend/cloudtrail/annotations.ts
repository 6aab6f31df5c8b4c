/**
 * Insights as Grafana annotations: one row per insight (Start/End pair) overlapping the panel's
 * range, with the baseline and insight averages in the text. Optional filters from the
 * annotation query: eventSource, eventName, insightType, errorCode.
 */
import type { Frame } from '../sdk/frame';
import { QueryError } from '../sdk/types';
import { EVENT_NAME_PATTERN, EVENT_SOURCE_PATTERN } from '../../src/shared/validation';
import { INSIGHT_TYPE_LABELS, isInsightType } from '../../src/shared/queryModel';
import type { Insight } from './insightEvents';

export interface AnnotationFilter {
  eventSource?: string;
  eventName?: string;
  insightType?: string;
  errorCode?: string;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Reads the optional filters of an annotation query; a malformed one fails that query only. */
export function parseAnnotationFilter(json: Record<string, unknown>): AnnotationFilter {
  const filter: AnnotationFilter = {
    eventSource: text(json.eventSource),
    eventName: text(json.eventName),
    insightType: text(json.insightType),
    errorCode: text(json.errorCode),
  };
  if (filter.eventSource && !EVENT_SOURCE_PATTERN.test(filter.eventSource)) {
    throw new QueryError(
      `Event source filter "${filter.eventSource}" must look like iam.amazonaws.com.`,
      'plugin',
      400
    );
  }
  if (filter.eventName && !EVENT_NAME_PATTERN.test(filter.eventName)) {
    throw new QueryError(
      `Event name filter "${filter.eventName}" may contain only letters, digits and "_".`,
      'plugin',
      400
    );
  }
  if (filter.insightType && !isInsightType(filter.insightType)) {
    throw new QueryError(
      `Insight type filter "${filter.insightType}" must be ApiCallRateInsight or ApiErrorRateInsight.`,
      'plugin',
      400
    );
  }
  return filter;
}

function matches(insight: Insight, filter: AnnotationFilter): boolean {
  return (
    (!filter.eventSource || insight.eventSource === filter.eventSource) &&
    (!filter.eventName || insight.eventName === filter.eventName) &&
    (!filter.insightType || insight.insightType === filter.insightType) &&
    (!filter.errorCode || insight.errorCode === filter.errorCode)
  );
}

const fmt = (n: number | undefined) =>
  n === undefined ? 'unknown' : n.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function insightTitle(insight: Insight): string {
  const kind = INSIGHT_TYPE_LABELS[insight.insightType as keyof typeof INSIGHT_TYPE_LABELS] ?? insight.insightType;
  const service = insight.eventSource.replace(/\.amazonaws\.com$/, '');
  const what = insight.errorCode ? `${insight.eventName} ${insight.errorCode}` : insight.eventName;
  return `Unusual ${kind}: ${what} (${service})${insight.endMs === undefined ? ' (ongoing)' : ''}`;
}

export function insightText(insight: Insight): string {
  const unit = insight.insightType === 'ApiErrorRateInsight' ? 'errors' : 'calls';
  return `Insight average ${fmt(insight.insightAverage)} ${unit}/min vs baseline ${fmt(insight.baselineAverage)} ${unit}/min.`;
}

export function annotationFrame(
  refId: string,
  insights: Insight[],
  range: { fromMs: number; toMs: number },
  filter: AnnotationFilter,
  nowMs: number
): Frame {
  const rows = insights
    .filter((i) => matches(i, filter) && i.startMs < range.toMs && (i.endMs ?? nowMs) >= range.fromMs)
    .sort((a, b) => a.startMs - b.startMs);
  return {
    name: 'CloudTrail Insights',
    refId,
    fields: [
      { name: 'time', type: 'time', values: rows.map((i) => i.startMs) },
      { name: 'timeEnd', type: 'time', values: rows.map((i) => i.endMs ?? nowMs) },
      { name: 'title', type: 'string', values: rows.map(insightTitle) },
      { name: 'text', type: 'string', values: rows.map(insightText) },
      {
        name: 'tags',
        type: 'string',
        // Comma-separated: Arrow list fields are not accepted by Grafana's frame decoder.
        values: rows.map((i) =>
          [i.insightType, i.eventSource, i.eventName, ...(i.errorCode ? [i.errorCode] : [])].join(',')
        ),
      },
    ],
    meta: {
      dataTopic: 'annotations',
      executedQueryString: 'LookupEvents EventCategory=insight (last 90 days, cached)',
    },
  };
}
