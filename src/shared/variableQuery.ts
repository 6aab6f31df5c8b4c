/**
 * The dashboard-variable query of this data source: what a variable lists and the filters that list
 * takes. One definition for the variable editor, the browser's variable support and the backend's
 * Insights route. Pure TypeScript, like the rest of src/shared.
 */
import { isDataEventScope, isOneOf, type EventCategory, type EventState, type InsightType } from './queryModel';
import {
  RESOURCE_PATHS,
  INSIGHT_VALUE_FIELDS,
  type InsightListParams,
  type InsightValueField,
  type ResourcePath,
} from './resources';

/** What a variable lists: each kind is a key of RESOURCE_PATHS, the route it reads. */
export const VARIABLE_KINDS = ['regions', 'eventSources', 'eventNames', 'errorCodes', 'trails', 'insights'] as const;
export type VariableKind = (typeof VARIABLE_KINDS)[number];

export const VARIABLE_KIND_LABELS: Record<VariableKind, string> = {
  regions: 'Regions',
  eventSources: 'Event sources',
  eventNames: 'Event names',
  errorCodes: 'Error codes',
  trails: 'Trails',
  insights: 'Insights events',
};

export const INSIGHT_VALUE_FIELD_LABELS: Record<InsightValueField, string> = {
  eventName: 'Event name',
  eventSource: 'Event source',
  errorCode: 'Error code',
  eventId: 'Event ID (one per Insight)',
};

export interface VariableQueryFields {
  kind: VariableKind;
  region?: string;
  /** The scope of the Insights listed: management events (default) or the data events of `trailName`. */
  eventCategory?: EventCategory;
  /** Data-event scope: the trail, by name or ARN. */
  trailName?: string;
  eventSource?: string;
  eventName?: string;
  /** Insights events: the events query's filters (empty = all). */
  insightType?: InsightType;
  errorCode?: string;
  state?: EventState;
  /** Insights events: what each option's value is (default the event name). */
  valueField?: InsightValueField;
}

export type VariableFilter = Exclude<keyof VariableQueryFields, 'kind'>;

/** The filters each list takes; a variable keeps only its own kind's. */
export const VARIABLE_FILTERS: Record<VariableKind, readonly VariableFilter[]> = {
  regions: [],
  eventSources: ['region', 'eventCategory', 'trailName'],
  eventNames: ['region', 'eventCategory', 'trailName', 'eventSource'],
  errorCodes: ['region', 'eventCategory', 'trailName', 'eventSource', 'eventName'],
  trails: ['region'],
  insights: [
    'region',
    'eventCategory',
    'trailName',
    'eventSource',
    'eventName',
    'insightType',
    'errorCode',
    'state',
    'valueField',
  ],
};

/** Every filter a variable query may carry. */
export const VARIABLE_FILTER_NAMES: readonly VariableFilter[] = VARIABLE_FILTERS.insights;

export const DEFAULT_VARIABLE_REF_ID = 'CloudTrailInsightsVariable';

/**
 * A saved variable query of any version, as the current model. Saved before kinds existed (no
 * kind, or a plain string): an event source list, as its editor showed. Other fields stay as saved.
 */
export function migrateVariableQuery<T extends { refId?: string }>(
  saved: unknown
): VariableQueryFields & T & { refId: string } {
  const query = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<VariableQueryFields> & T;
  return { ...query, refId: query.refId ?? DEFAULT_VARIABLE_REF_ID, kind: query.kind ?? 'eventSources' };
}

/** True when a list of this kind takes the filter (a kind this version does not know takes none). */
const takes = (kind: string, filter: VariableFilter) =>
  (VARIABLE_FILTERS as Partial<Record<string, readonly VariableFilter[]>>)[kind]?.includes(filter) === true;

/**
 * The query with only its kind's filters, empty ones dropped (a changed kind leaves no stale filter);
 * a trail only in the data-event scope, and the default (management) scope not written.
 */
export function keepOwnFilters<T extends VariableQueryFields>(query: T): T {
  const next = { ...query };
  for (const key of VARIABLE_FILTER_NAMES) {
    if (!takes(query.kind, key) || !next[key]) {
      delete next[key];
    }
  }
  if (next.eventCategory === 'management') {
    delete next.eventCategory;
    delete next.trailName;
  }
  return next;
}

/** The route a kind reads, or undefined for a kind this version does not know. */
export function variablePath(kind: string): ResourcePath | undefined {
  return isOneOf(VARIABLE_KINDS, kind) ? RESOURCE_PATHS[kind] : undefined;
}

/** The route's parameters: the kind's filters, and for Insights events the time range (epoch ms). */
export function variableParams(
  query: VariableQueryFields,
  range?: { fromMs: number; toMs: number }
): InsightListParams {
  const params: InsightListParams = {};
  for (const key of VARIABLE_FILTER_NAMES) {
    const value = query[key];
    // The scope travels as the trail alone: the lists read a trail's data events when given one.
    if (
      value &&
      takes(query.kind, key) &&
      key !== 'eventCategory' &&
      (key !== 'trailName' || isDataEventScope(query))
    ) {
      params[key === 'valueField' ? 'value' : key] = value;
    }
  }
  if (query.kind === 'insights' && range) {
    params.from = String(Math.floor(range.fromMs));
    params.to = String(Math.ceil(range.toMs));
  }
  return params;
}

/** True for a value the Insights route accepts as `value`. */
export const isInsightValueField = (value: unknown): value is InsightValueField => isOneOf(INSIGHT_VALUE_FIELDS, value);
