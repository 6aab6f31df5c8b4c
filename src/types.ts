/**
 * Browser-side types: the panel query (the shared query model plus Grafana's DataQuery fields),
 * the data source settings, the variable query, and the parts of the data source the editors and
 * the variable support use (declared here, not taken from the DataSource class, so that those
 * modules do not import datasource.ts, which imports them).
 */
import type { AwsAuthDataSourceJsonData, AwsAuthDataSourceSecureJsonData } from '@grafana/aws-sdk';
import type { DataSourceApi, ScopedVars } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import type { CloudTrailInsightsQueryFields, QueryType } from './shared/queryModel';
import type { InsightListParams, ResourceOption, ResourcePath } from './shared/resources';
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

/** Resource lists (regions, event sources, …, Insights) for the editors and the variable support. */
export interface ResourceOptionsSource {
  /** One resource list; template variables in the filters are resolved first. */
  listOptions(path: ResourcePath, params?: InsightListParams, scopedVars?: ScopedVars): Promise<ResourceOption[]>;
}

/** What a resource field offers: the list, plus the dashboard's variables (`$name`). */
export interface ResourceFieldSource extends ResourceOptionsSource {
  variableNames(): string[];
}

/** What the filter fields use: resource fields, plus the default region (the region field's placeholder). */
export interface FilterFieldsSource extends ResourceFieldSource {
  readonly defaultRegion: string;
}

/**
 * The data source as the variable and annotation editors get it from Grafana: a data source of
 * this plugin's queries that also serves the filter fields.
 */
export type FilterEditorDataSource = DataSourceApi<CloudTrailInsightsQuery, CloudTrailInsightsOptions> &
  FilterFieldsSource;
