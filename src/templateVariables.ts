/**
 * Template-variable interpolation for queries. Every string field is interpolated; a multi-value
 * variable (or `All`) used in any field turns one query into one query per value, because
 * ListInsightsMetricData takes exactly one event source, event name, error code and region per call.
 */
import type { DataQueryResponse, ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

import type { CloudTrailInsightsQuery } from './types';

/** The query fields that may hold template variables. */
export const INTERPOLATED_FIELDS = [
  'region',
  'eventSource',
  'eventName',
  'errorCode',
  'legendFormat',
  'trailName',
] as const;

/** $name, ${name}, ${name:format}, ${name.path}, [[name]] — the name is captured. */
const VARIABLE_REFERENCE = /\$([A-Za-z0-9_]+)|\$\{([A-Za-z0-9_]+)(?:[.:][^}]*)?\}|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]/g;

/** Names of the variables a text refers to, in order of first use. */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(VARIABLE_REFERENCE)) {
    names.add(match[1] ?? match[2] ?? match[3]);
  }
  return [...names];
}

/** Interpolates every string field once (multi-values use Grafana's default formatting). */
export function interpolateQuery(
  query: CloudTrailInsightsQuery,
  templateSrv: TemplateSrv,
  scopedVars: ScopedVars
): CloudTrailInsightsQuery {
  const result: CloudTrailInsightsQuery = { ...query };
  for (const field of INTERPOLATED_FIELDS) {
    const value = query[field];
    if (typeof value === 'string' && value !== '') {
      result[field] = templateSrv.replace(value, scopedVars);
    }
  }
  return result;
}

/**
 * The values a variable currently stands for: several for a multi-value selection or `All`,
 * one for a plain variable, none when the name is not a variable (the text is then kept as typed).
 */
function variableValues(name: string, templateSrv: TemplateSrv, scopedVars: ScopedVars): string[] {
  if (scopedVars[name]) {
    return [];
  }
  const asJson = templateSrv.replace(`\${${name}}`, scopedVars, (value: string | string[]) =>
    JSON.stringify(Array.isArray(value) ? value : [value])
  );
  try {
    const values: unknown = JSON.parse(asJson);
    return Array.isArray(values) ? values.map(String) : [];
  } catch {
    return [];
  }
}

/** Every combination of the multi-valued variables, as scoped variables that pin one value each. */
function combinations(choices: Array<[string, string[]]>): ScopedVars[] {
  return choices.reduce<ScopedVars[]>(
    (partial, [name, values]) =>
      partial.flatMap((vars) => values.map((value) => ({ ...vars, [name]: { text: value, value } }))),
    [{}]
  );
}

/**
 * Expands a query into one fully interpolated query per combination of multi-value variable
 * values. Without multi-value variables the result is the single interpolated query.
 */
export function expandQuery(
  query: CloudTrailInsightsQuery,
  templateSrv: TemplateSrv,
  scopedVars: ScopedVars = {}
): CloudTrailInsightsQuery[] {
  const names = new Set<string>();
  for (const field of INTERPOLATED_FIELDS) {
    const value = query[field];
    if (typeof value === 'string') {
      referencedVariables(value).forEach((name) => names.add(name));
    }
  }
  const multi: Array<[string, string[]]> = [];
  for (const name of names) {
    const values = variableValues(name, templateSrv, scopedVars);
    if (values.length > 1) {
      multi.push([name, values]);
    }
  }
  return combinations(multi).map((pinned) => interpolateQuery(query, templateSrv, { ...scopedVars, ...pinned }));
}

/**
 * Gives expanded queries refIds that are unique in the request (`A`, `A#2`, `A#3`, …), because the
 * backend answers by refId; `originalRefId` maps them back so panels still see `A`.
 */
export function uniqueRefIds(expanded: CloudTrailInsightsQuery[][]): CloudTrailInsightsQuery[] {
  const taken = new Set(expanded.flatMap((group) => group.map((q) => q.refId)));
  const result: CloudTrailInsightsQuery[] = [];
  for (const group of expanded) {
    group.forEach((query, index) => {
      if (index === 0) {
        result.push(query);
        return;
      }
      let n = index + 1;
      while (taken.has(`${query.refId}#${n}`)) {
        n++;
      }
      const refId = `${query.refId}#${n}`;
      taken.add(refId);
      result.push({ ...query, refId });
    });
  }
  return result;
}

/** `A#3` → `A`; plain refIds are returned unchanged. */
export function originalRefId(refId: string | undefined, originals: ReadonlySet<string>): string | undefined {
  if (!refId || originals.has(refId)) {
    return refId;
  }
  const base = refId.replace(/#\d+$/, '');
  return originals.has(base) ? base : refId;
}

/** Hands frames and errors of expanded queries back under the refId the panel knows. */
export function restoreRefIds(response: DataQueryResponse, originals: ReadonlySet<string>): DataQueryResponse {
  const restore = <T extends { refId?: string }>(item: T): T => ({
    ...item,
    refId: originalRefId(item.refId, originals),
  });
  const restored: DataQueryResponse = { ...response, data: response.data.map(restore) };
  if (response.errors) {
    restored.errors = response.errors.map(restore);
  }
  // Older Grafana versions still read the single `error`; keep it consistent with `errors`.
  /* eslint-disable @typescript-eslint/no-deprecated */
  if (response.error) {
    restored.error = restore(response.error);
  }
  /* eslint-enable @typescript-eslint/no-deprecated */
  return restored;
}
