/**
 * Browser-side types: the panel query (the shared query model plus Grafana's DataQuery fields),
 * the data source settings and the variable query.
 */
import type { AwsAuthDataSourceJsonData, AwsAuthDataSourceSecureJsonData } from '@grafana/aws-sdk';
import type { DataQuery } from '@grafana/schema';

import type { CloudTrailInsightsQueryFields, QueryType } from './shared/queryModel';

export interface CloudTrailInsightsQuery extends DataQuery, CloudTrailInsightsQueryFields {
  queryType?: QueryType;
}

/** jsonData: the connection settings every Grafana AWS data source uses (authType, defaultRegion, endpoint, …). */
export interface CloudTrailInsightsOptions extends AwsAuthDataSourceJsonData {
  /** Most queries one panel query may expand into through multi-value variables (default 100). */
  maxExpandedQueries?: number;
}

/** Each expanded query is a series and at least one ListInsightsMetricData call (1 per second). */
export const DEFAULT_MAX_EXPANDED_QUERIES = 100;

/** secureJsonData: only the AWS secrets; Grafana encrypts them and never sends them back to the browser. */
export interface CloudTrailInsightsSecureJsonData extends Pick<
  AwsAuthDataSourceSecureJsonData,
  'accessKey' | 'secretKey' | 'sessionToken'
> {}

/** What a dashboard variable of this data source lists: each kind is a key of RESOURCE_PATHS, the route it reads. */
export const VARIABLE_KINDS = ['regions', 'eventSources', 'eventNames', 'errorCodes', 'trails'] as const;
export type VariableKind = (typeof VARIABLE_KINDS)[number];

export interface CloudTrailInsightsVariableQuery extends DataQuery {
  kind: VariableKind;
  region?: string;
  eventSource?: string;
  eventName?: string;
}

export const VARIABLE_KIND_LABELS: Record<VariableKind, string> = {
  regions: 'Regions',
  eventSources: 'Event sources',
  eventNames: 'Event names',
  errorCodes: 'Error codes',
  trails: 'Trails',
};
