/** Editors' changes: a patch whose `undefined` values clear those fields (saved JSON stays clean). */
import type { CloudTrailInsightsQuery } from './types';

export function patchQuery(
  query: CloudTrailInsightsQuery,
  patch: Partial<CloudTrailInsightsQuery>
): CloudTrailInsightsQuery {
  const next: CloudTrailInsightsQuery = { ...query, ...patch };
  for (const key of Object.keys(patch) as Array<keyof CloudTrailInsightsQuery>) {
    if (next[key] === undefined) {
      delete next[key];
    }
  }
  return next;
}
