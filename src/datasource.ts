import {
  CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type ScopedVars,
  type TimeRange,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { map, type Observable } from 'rxjs';

import { annotationSupport } from './annotations';
import { periodHint, type PeriodHint } from './periodHint';
import { loadResource } from './resourceClient';
import { migrate } from './queryMigration';
import { DEFAULT_QUERY } from './shared/queryModel';
import type { ResourceOption, ResourceParams, ResourcePath } from './shared/resources';
import { isQueryComplete } from './shared/validation';
import { expandQuery, interpolateQuery, restoreRefIds, uniqueRefIds } from './templateVariables';
import type { CloudTrailInsightsOptions, CloudTrailInsightsQuery } from './types';
import { CloudTrailInsightsVariableSupport } from './variables';

/** Editor-side template values: a multi-value selection narrows a resource list by its first value. */
const firstValue = (value: string | string[]) => (Array.isArray(value) ? (value[0] ?? '') : value);

export class DataSource extends DataSourceWithBackend<CloudTrailInsightsQuery, CloudTrailInsightsOptions> {
  /** The region queries without a region of their own use (shown in the editor as the placeholder). */
  readonly defaultRegion: string;

  constructor(
    instanceSettings: DataSourceInstanceSettings<CloudTrailInsightsOptions>,
    private readonly templates?: TemplateSrv
  ) {
    super(instanceSettings);
    this.defaultRegion = instanceSettings.jsonData?.defaultRegion ?? '';
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

  /** Drafts and hidden queries are skipped rather than sent to fail; events and annotation filters are optional. */
  filterQuery(query: CloudTrailInsightsQuery): boolean {
    return !query.hide && isQueryComplete(query);
  }

  /** One query in, one query out (multi-values formatted Grafana's default way); see `query` for expansion. */
  applyTemplateVariables(query: CloudTrailInsightsQuery, scopedVars: ScopedVars): CloudTrailInsightsQuery {
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
   */
  query(request: DataQueryRequest<CloudTrailInsightsQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.filter((target) => this.filterQuery(target));
    const originals = new Set(targets.map((target) => target.refId));
    const expanded = uniqueRefIds(targets.map((target) => this.expand(target, request.scopedVars)));
    return super.query({ ...request, targets: expanded }).pipe(map((response) => restoreRefIds(response, originals)));
  }

  private expand(query: CloudTrailInsightsQuery, scopedVars: ScopedVars): CloudTrailInsightsQuery[] {
    return expandQuery(migrate(query), this.templateSrv, scopedVars);
  }

  /** `$name` for every dashboard variable, offered in the editors' selects. */
  variableNames(): string[] {
    return (this.templateSrv?.getVariables() ?? []).map((variable) => `$${variable.name}`);
  }

  /** A resource list for an editor; template variables in the filters are resolved first. */
  listOptions(path: ResourcePath, params: ResourceParams = {}, scopedVars: ScopedVars = {}): Promise<ResourceOption[]> {
    const resolved: ResourceParams = {};
    for (const [key, value] of Object.entries(params) as Array<[keyof ResourceParams, string | undefined]>) {
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
