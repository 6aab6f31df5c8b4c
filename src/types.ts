/**
 * Browser-side types: the panel query (the shared query model plus Grafana's DataQuery fields),
 * the data source settings and the variable query.
 */
import type { AwsAuthDataSourceJsonData, AwsAuthDataSourceSecureJsonData } from '@grafana/aws-sdk';
import type { DataQuery } from '@grafana/schema';

import type { CloudTrailInsightsQueryFields, QueryType } from './shared/queryModel';
import type { VariableQueryFields } from './shared/variableQuery';

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

/** A dashboard variable's query: the shared variable model plus Grafana's DataQuery fields. */
export interface CloudTrailInsightsVariableQuery extends DataQuery, VariableQueryFields {}

export { VARIABLE_KINDS, VARIABLE_KIND_LABELS, type VariableKind } from './shared/variableQuery';
