/**
 * Option lists read from the cached Insights list: the editors' event sources / names / error
 * codes, and the Insights-events variable — the Insights open during a time range that match an
 * events query's filters, as distinct event names or sources (most Insights first), or one option
 * per Insight (newest first) named readably and valued by its event ID.
 */
import { INSIGHT_TYPE_LABELS, isInsightType } from '../../../src/shared/queryModel';
import type { InsightValueField, ResourceOption } from '../../../src/shared/resources';
import { MAX_RETENTION_MS } from '../../../src/shared/retention';
import { formatIssues, validateQuery } from '../../../src/shared/validation';
import { isInsightValueField } from '../../../src/shared/variableQuery';
import { QueryError } from '../../sdk/types';
import type { Insight } from '../core/insights';
import { insightFilter, selectInsights, type InsightFilter } from './insightFilter';
import { invalidRequest } from '../core/errors';

const plural = (n: number) => `${n} Insight${n === 1 ? '' : 's'}`;

/** Unique values of `pick` with their Insight counts, most frequent first (ties by name). */
export function countOptions(
  insights: readonly Insight[],
  pick: (i: Insight) => string | undefined,
  within = 'in the last 90 days'
): ResourceOption[] {
  const counts = new Map<string, number>();
  for (const insight of insights) {
    const value = pick(insight);
    if (value) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([value, n]) => ({ value, label: value, description: `${plural(n)} ${within}` }));
}

export interface InsightListRequest {
  filter: InsightFilter;
  range: { fromMs: number; toMs: number };
  value: InsightValueField;
}

function epochMs(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name)?.trim();
  if (!text) {
    return fallback;
  }
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw invalidRequest(`Parameter ${name}="${text.slice(0, 40)}" must be epoch milliseconds.`);
  }
  return ms;
}

/** The Insights route's filters (already-checked region, event source and name given), validated like an events query's. */
export function insightListRequest(
  params: URLSearchParams,
  identity: { eventSource?: string; eventName?: string },
  nowMs: number
): InsightListRequest {
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const model = {
    queryType: 'events',
    ...identity,
    insightType: text('insightType'),
    errorCode: text('errorCode'),
    state: text('state'),
  };
  const issues = validateQuery(model as Parameters<typeof validateQuery>[0]);
  if (issues.length) {
    throw invalidRequest(formatIssues(issues));
  }
  const value = text('value') ?? 'eventName';
  if (!isInsightValueField(value)) {
    throw invalidRequest(
      `Parameter value="${value.slice(0, 40)}" must be eventName, eventSource, errorCode or eventId.`
    );
  }
  const toMs = epochMs(params, 'to', nowMs);
  const fromMs = epochMs(params, 'from', toMs - MAX_RETENTION_MS);
  if (fromMs > toMs) {
    throw invalidRequest('Parameter from must not be after to.');
  }
  return { filter: insightFilter(model as Parameters<typeof insightFilter>[0]), range: { fromMs, toMs }, value };
}

const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** "CreateUser (iam.amazonaws.com), API call rate, 2026-12-01 10:00 – 10:25 UTC" (or "…, since … UTC, ongoing"). */
export function insightLabel(insight: Insight): string {
  const type = isInsightType(insight.insightType) ? INSIGHT_TYPE_LABELS[insight.insightType] : insight.insightType;
  const what = `${insight.eventName} (${insight.eventSource}), ${type}${insight.errorCode ? ` ${insight.errorCode}` : ''}`;
  if (insight.endMs === undefined) {
    return `${what}, since ${minute(insight.startMs)} UTC, ongoing`;
  }
  const end = minute(insight.endMs);
  const sameDay = end.slice(0, 10) === minute(insight.startMs).slice(0, 10);
  return `${what}, ${minute(insight.startMs)} – ${sameDay ? end.slice(11) : end} UTC`;
}

export function insightOptions(
  insights: readonly Insight[],
  request: InsightListRequest,
  nowMs: number
): ResourceOption[] {
  const selected = selectInsights(insights, request.filter, request.range, nowMs);
  switch (request.value) {
    case 'eventId':
      return selected.map((insight) => ({
        value: insight.eventId ?? insight.id,
        label: insightLabel(insight),
        description: insight.endMs === undefined ? 'Ongoing' : 'Ended',
      }));
    case 'eventSource':
      return countOptions(selected, (i) => i.eventSource, 'in the time range');
    case 'errorCode':
      return countOptions(selected, (i) => i.errorCode, 'in the time range');
    default:
      return countOptions(selected, (i) => i.eventName, 'in the time range');
  }
}
