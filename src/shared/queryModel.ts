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

/** Query types the backend answers. */
export const QUERY_TYPES = ['metrics', 'annotations'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/** The version written into saved queries; bump it when migrateQuery learns a new shape. */
export const QUERY_MODEL_VERSION = 1;

/**
 * The fields our queries carry. Grafana adds refId, datasource, hide, queryType, … on top
 * (the browser extends DataQuery from @grafana/schema with this interface).
 */
export interface CloudTrailInsightsQueryFields {
  /** e.g. `iam.amazonaws.com` */
  eventSource: string;
  /** e.g. `CreateUser` */
  eventName: string;
  insightType: InsightType;
  /** Required exactly when insightType is ApiErrorRateInsight, e.g. `AccessDenied`. */
  errorCode?: string;
  period: QueryPeriod;
  dataType: DataType;
  /** AWS region; empty means the data source's default region. */
  region?: string;
  /** Display name template, e.g. `{{eventName}} in {{region}}`; empty uses the default name. */
  legendFormat?: string;
  /** Insights on a trail's data events (newer API field); empty for management events. */
  trailName?: string;
  /** Model version for migrations. */
  modelVersion?: number;
}

export interface CloudTrailInsightsQuery extends CloudTrailInsightsQueryFields {
  refId: string;
  queryType?: QueryType;
  hide?: boolean;
}

/** Defaults applied to new queries and to fields a saved query leaves out. */
export const DEFAULT_QUERY: Readonly<
  Pick<CloudTrailInsightsQueryFields, 'insightType' | 'period' | 'dataType' | 'modelVersion'>
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
  trailName: true,
  modelVersion: true,
} as const satisfies Record<keyof CloudTrailInsightsQuery, true>;

export const QUERY_FIELD_NAMES = Object.keys(QUERY_FIELDS) as ReadonlyArray<keyof CloudTrailInsightsQuery>;
