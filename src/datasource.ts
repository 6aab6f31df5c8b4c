import {
  CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type ScopedVars,
  type TimeRange,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { map, of, type Observable } from 'rxjs';

import { annotationSupport } from './annotations';
import { periodHint, type PeriodHint } from './periodHint';
import { loadResource } from './resourceClient';
import { migrate } from './queryMigration';
import { queryDisplayText } from './queryDisplayText';
import { DEFAULT_QUERY } from './shared/queryModel';
import type { InsightListParams, ResourceOption, ResourcePath } from './shared/resources';
import { isQueryComplete } from './shared/validation';
import { expandQuery, interpolateQuery, restoreRefIds, uniqueRefIds } from './templateVariables';
import {
  DEFAULT_MAX_EXPANDED_QUERIES,
  type CloudTrailInsightsOptions,
  type CloudTrailInsightsQuery,
  type FilterFieldsSource,
} from './types';
import { CloudTrailInsightsVariableSupport } from './variables';

/** Editor-side template values: a multi-value selection narrows a resource list by its first value. */
const firstValue = (value: string | string[]) => (Array.isArray(value) ? (value[0] ?? '') : value);

export class DataSource
  extends DataSourceWithBackend<CloudTrailInsightsQuery, CloudTrailInsightsOptions>
  implements FilterFieldsSource
{
  /** The region queries without a region of their own use (shown in the editor as the placeholder). */
  readonly defaultRegion: string;
  /** The cap on one panel query's multi-value expansion (data source settings). */
  readonly maxExpandedQueries: number;
  /** Queries query() has already interpolated: applyTemplateVariables passes them through. */
  private readonly expanded = new WeakSet<CloudTrailInsightsQuery>();

  constructor(
    instanceSettings: DataSourceInstanceSettings<CloudTrailInsightsOptions>,
    private readonly templates?: TemplateSrv
  ) {
    super(instanceSettings);
    this.defaultRegion = instanceSettings.jsonData?.defaultRegion ?? '';
    const cap = Number(instanceSettings.jsonData?.maxExpandedQueries);
    this.maxExpandedQueries = Number.isInteger(cap) && cap > 0 ? cap : DEFAULT_MAX_EXPANDED_QUERIES;
    this.variables = new CloudTrailInsightsVariableSupport(this);
    this.annotations = annotationSupport;
  }

  /** Grafana sets its TemplateSrv after plugins load, so look it up when needed. */
  get templateSrv(): TemplateSrv {
    return this.templates ?? getTemplateSrv();
  }

  getDefaultQuery(_app: CoreApp): Partial<CloudTrailInsightsQuery> {
    return { ...DEFAULT_QUERY, queryType: 'metrics', eventSource: '', eventName: '' };
  }

  /** Query history and collapsed query rows show this instead of the raw JSON. */
  getQueryDisplayText(query: CloudTrailInsightsQuery): string {
    return queryDisplayText(migrate(query), this.defaultRegion);
  }

  /** Drafts and hidden queries are skipped rather than sent to fail; events and annotation filters are optional. */
  filterQuery(query: CloudTrailInsightsQuery): boolean {
    return !query.hide && isQueryComplete(query);
  }

  /** One query in, one query out (multi-values formatted Grafana's default way); see `query` for expansion. */
  applyTemplateVariables(query: CloudTrailInsightsQuery, scopedVars: ScopedVars): CloudTrailInsightsQuery {
    // Grafana calls this for every target query() sends; those are interpolated already.
    if (this.expanded.has(query)) {
      return query;
    }
    return interpolateQuery(migrate(query), this.templateSrv, scopedVars);
  }

  /** Explore and query inspection see the same expansion the panel runs. */
  interpolateVariablesInQueries(queries: CloudTrailInsightsQuery[], scopedVars: ScopedVars): CloudTrailInsightsQuery[] {
    return uniqueRefIds(queries.map((query) => this.expand(query, scopedVars)));
  }

  /**
   * Expands multi-value variables into one query per value before the request reaches the backend.
   * Expanded copies travel as `A#2`, `A#3`, … (the backend answers by refId) and their frames and
   * errors are handed back under the panel's own refId, so transformations and overrides keep working.
   * Grafana has no hook that turns one query into many, so this stays an override; interpolation
   * itself is Grafana's applyTemplateVariables hook, which passes the expanded copies through.
   */
  query(request: DataQueryRequest<CloudTrailInsightsQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.filter((target) => this.filterQuery(target));
    const groups = targets.map((target) => this.expand(target, request.scopedVars));
    // A query expanding past the cap fails alone, naming the cap, instead of queueing hundreds of series.
    const tooMany = groups.filter((group) => group.length > this.maxExpandedQueries);
    const errors = tooMany.map((group) => ({
      refId: group[0].refId,
      message:
        `This query expands into ${group.length} queries through multi-value variables; the limit is ` +
        `${this.maxExpandedQueries} per query (data source setting "Max expanded queries"). ` +
        'Select fewer values, or raise the limit: each one is a series CloudTrail serves at 1 call per second.',
    }));
    const sent = uniqueRefIds(groups.filter((group) => group.length <= this.maxExpandedQueries));
    sent.forEach((query) => this.expanded.add(query));
    if (!sent.length) {
      return of({ data: [], errors });
    }
    const originals = new Set(targets.map((target) => target.refId));
    return super.query({ ...request, targets: sent }).pipe(
      map((response) => restoreRefIds(response, originals)),
      map((response) => (errors.length ? { ...response, errors: [...(response.errors ?? []), ...errors] } : response))
    );
  }

  private expand(query: CloudTrailInsightsQuery, scopedVars: ScopedVars): CloudTrailInsightsQuery[] {
    return expandQuery(migrate(query), this.templateSrv, scopedVars);
  }

  /** `$name` for every dashboard variable, offered in the editors' selects. */
  variableNames(): string[] {
    return (this.templateSrv?.getVariables() ?? []).map((variable) => `$${variable.name}`);
  }

  /** A resource list for an editor; template variables in the filters are resolved first. */
  listOptions(
    path: ResourcePath,
    params: InsightListParams = {},
    scopedVars: ScopedVars = {}
  ): Promise<ResourceOption[]> {
    const resolved: InsightListParams = {};
    for (const [key, value] of Object.entries(params) as Array<[keyof InsightListParams, string | undefined]>) {
      resolved[key] = value ? this.templateSrv.replace(value, scopedVars, firstValue) : value;
    }
    return loadResource((...args) => this.getResource(...args), path, resolved);
  }

  /** "Period: 300 s (auto, last 30 days)" plus retention notices, for the query editor. */
  periodHint(
    query: Pick<CloudTrailInsightsQuery, 'period'>,
    range: TimeRange,
    request?: Pick<DataQueryRequest, 'intervalMs' | 'maxDataPoints'>
  ): PeriodHint {
    return periodHint(query.period ?? DEFAULT_QUERY.period, range, request);
  }
}
