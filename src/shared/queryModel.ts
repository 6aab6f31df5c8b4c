/**
 * The one definition of the CloudTrail Insights query model, imported by the browser bundle and
 * by the backend alike. Pure TypeScript: no React, no node:*, no AWS SDK.
 */

/** The InsightType values ListInsightsMetricData accepts. */
export const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'] as const;
export type InsightType = (typeof INSIGHT_TYPES)[number];

/** The DataType values ListInsightsMetricData accepts. */
export const DATA_TYPES = ['FillWithZeros', 'NonZeroData'] as const;
export type DataType = (typeof DATA_TYPES)[number];

/** The only Period values (seconds) ListInsightsMetricData accepts. */
export const PERIODS_SECONDS = [60, 300, 3600] as const;
export type PeriodSeconds = (typeof PERIODS_SECONDS)[number];

/** A query's period: one of the API's periods, or `auto` to let the planner choose from the panel. */
export type QueryPeriod = 'auto' | PeriodSeconds;

/**
 * Query types the backend answers: `metrics` charts ListInsightsMetricData, `events` lists the
 * Insights events themselves (LookupEvents), `annotations` marks them on panels.
 */
export const QUERY_TYPES = ['metrics', 'events', 'annotations'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/** Which Insights an events query or annotation lists: still open, closed, or both. */
export const EVENT_STATES = ['all', 'ongoing', 'ended'] as const;
export type EventState = (typeof EVENT_STATES)[number];

/** An events query answers a table (one row per Insight) or counts (a number per series, for alert rules). */
export const EVENTS_FORMATS = ['table', 'count'] as const;
export type EventsFormat = (typeof EVENTS_FORMATS)[number];

/**
 * A query's scope: the Insights on management events (LookupEvents, ListInsightsMetricData without
 * a trail; the default) or on the data events of one trail (ListInsightsData, ListInsightsMetricData
 * with TrailName), named by `trailName`. The values follow CloudTrail's `EventCategories`.
 */
export const EVENT_CATEGORIES = ['management', 'data'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

/** Metric values as the API returns them (a count per period) or divided down to a count per minute. */
export const VALUE_UNITS = ['perPeriod', 'perMinute'] as const;
export type ValueUnit = (typeof VALUE_UNITS)[number];

/**
 * The version written into saved queries; bump it when migrateQuery learns a new shape.
 * 2: annotation queries no longer carry the metrics' default insight type (it hid error-rate Insights).
 * 3: a scope per query (`eventCategory`); a saved trail name without one means the data-event scope.
 */
export const QUERY_MODEL_VERSION = 3;

/**
 * The fields our queries carry. Grafana adds refId, datasource, hide, queryType, … on top
 * (the browser extends DataQuery from @grafana/schema with this interface).
 */
export interface CloudTrailInsightsQueryFields {
  /** e.g. `iam.amazonaws.com` */
  eventSource: string;
  /** e.g. `CreateUser` */
  eventName: string;
  /** Required for metrics; an optional filter (empty = all types) for events and annotations. */
  insightType?: InsightType;
  /** Required exactly when a metrics query's insightType is ApiErrorRateInsight, e.g. `AccessDenied`. */
  errorCode?: string;
  /** Metrics only (migration fills the default there). */
  period?: QueryPeriod;
  /** Metrics only (migration fills the default there). */
  dataType?: DataType;
  /** AWS region; empty means the data source's default region. */
  region?: string;
  /** Display name template, e.g. `{{eventName}} in {{region}}`; empty uses the default name. */
  legendFormat?: string;
  /** Scope: Insights on management events (default) or on the data events of `trailName`. */
  eventCategory?: EventCategory;
  /**
   * The data-event scope's trail: its name (a trail homed in the query's region) or its ARN (any
   * trail, the form the editor's picker writes). Empty for management events.
   */
  trailName?: string;
  /** Metrics: count per period (default) or per minute, so values do not jump when auto period changes. */
  valueUnit?: ValueUnit;
  /** Events and annotations: ongoing, ended or all Insights (default all). */
  state?: EventState;
  /** Events: a table of Insights (default) or counts per series for alert rules. */
  eventsFormat?: EventsFormat;
  /** Model version for migrations. */
  modelVersion?: number;
}

/** A metrics query after migration and validation: insight type, period and data type are set. */
export type MetricsQueryFields = CloudTrailInsightsQueryFields & {
  insightType: InsightType;
  period: QueryPeriod;
  dataType: DataType;
};

export interface CloudTrailInsightsQuery extends CloudTrailInsightsQueryFields {
  refId: string;
  queryType?: QueryType;
  hide?: boolean;
}

/** Defaults applied to new queries and to fields a saved query leaves out. */
export const DEFAULT_QUERY: Readonly<
  Required<Pick<CloudTrailInsightsQueryFields, 'insightType' | 'period' | 'dataType' | 'modelVersion'>>
> = {
  insightType: 'ApiCallRateInsight',
  period: 'auto',
  dataType: 'FillWithZeros',
  modelVersion: QUERY_MODEL_VERSION,
};

/** The insight type's human name, used in editors and default legends. */
export const INSIGHT_TYPE_LABELS: Record<InsightType, string> = {
  ApiCallRateInsight: 'API call rate',
  ApiErrorRateInsight: 'API error rate',
};

export const DATA_TYPE_LABELS: Record<DataType, string> = {
  FillWithZeros: 'Fill gaps with zeros',
  NonZeroData: 'Only non-zero points',
};

export const EVENT_STATE_LABELS: Record<EventState, string> = {
  all: 'All',
  ongoing: 'Ongoing',
  ended: 'Ended',
};

export const EVENTS_FORMAT_LABELS: Record<EventsFormat, string> = {
  table: 'Table',
  count: 'Count per series',
};

export const EVENT_CATEGORY_LABELS: Record<EventCategory, string> = {
  management: 'Management events',
  data: 'Data events',
};

export const VALUE_UNIT_LABELS: Record<ValueUnit, string> = {
  perPeriod: 'Per period',
  perMinute: 'Per minute',
};

export const QUERY_TYPE_LABELS: Record<QueryType, string> = {
  metrics: 'Metrics',
  events: 'Insights events',
  annotations: 'Annotations',
};

export const PERIOD_LABELS: Record<string, string> = {
  auto: 'Auto',
  '60': '1 min',
  '300': '5 min',
  '3600': '1 hour',
};

export function isInsightType(value: unknown): value is InsightType {
  return typeof value === 'string' && (INSIGHT_TYPES as readonly string[]).includes(value);
}

export function isDataType(value: unknown): value is DataType {
  return typeof value === 'string' && (DATA_TYPES as readonly string[]).includes(value);
}

/** True for an enum-like list's member, e.g. `isOneOf(EVENT_STATES, value)`. */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** Saved queries without a queryType are metrics queries (the only type before events). */
export function isMetricsQuery(query: { queryType?: string }): boolean {
  return !query.queryType || query.queryType === 'metrics';
}

/** True when the query reads a trail's data-event Insights (a trail name alone implies it, as saved before scopes). */
export function isDataEventScope(query: { eventCategory?: string; trailName?: string }): boolean {
  return query.eventCategory === 'data' || (query.eventCategory === undefined && Boolean(query.trailName));
}

const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

/** The region and name in a trail ARN, or undefined for a plain trail name (or anything else). */
export function parseTrailArn(
  text: string | undefined
): { region: string; accountId: string; name: string } | undefined {
  const match = text ? TRAIL_ARN.exec(text) : null;
  return match ? { region: match[1], accountId: match[2], name: match[3] } : undefined;
}

/**
 * The region a query reads: its own, else (data-event scope) the region of its trail's ARN, where
 * that trail's data-event Insights are, else the data source's default (undefined here).
 */
export function queryRegion(query: {
  region?: string;
  eventCategory?: string;
  trailName?: string;
}): string | undefined {
  if (query.region) {
    return query.region;
  }
  return isDataEventScope(query) ? parseTrailArn(query.trailName)?.region : undefined;
}

export function isPeriodSeconds(value: unknown): value is PeriodSeconds {
  return typeof value === 'number' && (PERIODS_SECONDS as readonly number[]).includes(value);
}

/**
 * Every field a saved query of ours may carry, checked by the compiler against the interface
 * (a missing or extra name fails `satisfies`). Provisioning tests use it to reject unknown fields.
 */
const QUERY_FIELDS = {
  refId: true,
  queryType: true,
  hide: true,
  eventSource: true,
  eventName: true,
  insightType: true,
  errorCode: true,
  period: true,
  dataType: true,
  region: true,
  legendFormat: true,
  eventCategory: true,
  trailName: true,
  valueUnit: true,
  state: true,
  eventsFormat: true,
  modelVersion: true,
} as const satisfies Record<keyof CloudTrailInsightsQuery, true>;

export const QUERY_FIELD_NAMES = Object.keys(QUERY_FIELDS) as ReadonlyArray<keyof CloudTrailInsightsQuery>;
