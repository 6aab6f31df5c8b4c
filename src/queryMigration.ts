/** Saved panel queries brought to the current model in the browser (editor load and before running). */
import { migrateQuery } from './shared/migrate';
import { QUERY_MODEL_VERSION } from './shared/queryModel';
import type { CloudTrailInsightsQuery } from './types';

/** Like the shared migrateQuery, keeping Grafana's own fields (datasource, hide, …) on the query. */
export function migrate(query: CloudTrailInsightsQuery): CloudTrailInsightsQuery {
  return migrateQuery(query as unknown as Record<string, unknown>) as CloudTrailInsightsQuery;
}

/** True when a saved query predates the current model (or was hand-written without a version). */
export function needsMigration(query: Partial<CloudTrailInsightsQuery>): boolean {
  return query.modelVersion !== QUERY_MODEL_VERSION;
}
