/**
 * Checks shared by the dashboard and alert rule tests: a saved query may carry only fields of the
 * query model (plus the ones Grafana itself adds), must already be in the current model version,
 * and must pass the shared validator.
 */
import { QUERY_FIELD_NAMES, QUERY_TYPES, migrateQuery, validateQuery } from '../src/shared';

/** Fields Grafana adds to stored queries (DataQuery and alert query models), not ours. */
export const GRAFANA_QUERY_FIELDS = ['datasource', 'intervalMs', 'maxDataPoints', 'key'] as const;

export interface QueryProblems {
  unknownFields: string[];
  migrationChanges: string[];
  validation: string[];
  queryType?: unknown;
}

/** Everything wrong with one saved query; all lists empty means Grafana and our backend accept it. */
export function queryProblems(
  saved: Record<string, unknown>,
  options: { allowTemplateVariables: boolean }
): QueryProblems {
  const allowed = new Set<string>([...QUERY_FIELD_NAMES, ...GRAFANA_QUERY_FIELDS]);
  const unknownFields = Object.keys(saved).filter((key) => !allowed.has(key));

  const migrated = migrateQuery(saved);
  const migratedFields = migrated as unknown as Record<string, unknown>;
  const migrationChanges = [...new Set([...Object.keys(saved), ...Object.keys(migratedFields)])].filter(
    (key) => JSON.stringify(saved[key]) !== JSON.stringify(migratedFields[key])
  );

  const validation = validateQuery(migrated, options).map((issue) => `${issue.field}: ${issue.message}`);
  const queryType = saved.queryType;
  return {
    unknownFields,
    migrationChanges,
    validation,
    ...((QUERY_TYPES as readonly unknown[]).includes(queryType) ? {} : { queryType }),
  };
}

export const NO_PROBLEMS: QueryProblems = { unknownFields: [], migrationChanges: [], validation: [] };
