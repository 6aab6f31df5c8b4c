/**
 * Dashboard variables listing regions, event sources, event names, error codes, trails or Insights
 * events, read from the backend's resource routes (the lists the query editor offers, and the
 * Insights matching an events query's filters during the dashboard's time range).
 */
import {
  CustomVariableSupport,
  FieldType,
  createDataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
} from '@grafana/data';
import { from, map, catchError, of, type Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { ResourceOption } from './shared/resources';
import { migrateVariableQuery, variableParams, variablePath } from './shared/variableQuery';
import type { CloudTrailInsightsVariableQuery, FilterEditorDataSource, ResourceOptionsSource } from './types';

/** text/value fields are what Grafana reads variable options from. */
export function optionsToFrame(options: ResourceOption[]) {
  return createDataFrame({
    fields: [
      { name: 'text', type: FieldType.string, values: options.map((option) => option.label) },
      { name: 'value', type: FieldType.string, values: options.map((option) => option.value) },
    ],
  });
}

export class CloudTrailInsightsVariableSupport extends CustomVariableSupport<
  FilterEditorDataSource,
  CloudTrailInsightsVariableQuery
> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: ResourceOptionsSource) {
    super();
  }

  query(request: DataQueryRequest<CloudTrailInsightsVariableQuery>): Observable<DataQueryResponse> {
    const query = migrateVariableQuery<CloudTrailInsightsVariableQuery>(request.targets[0]);
    // Each variable kind is named after the resource route it lists.
    const path = variablePath(query.kind);
    if (!path) {
      return of({ data: [], errors: [{ message: `Choose what the variable lists (got "${query.kind}").` }] });
    }
    const range = request.range && { fromMs: request.range.from.valueOf(), toMs: request.range.to.valueOf() };
    const params = variableParams(query, range);
    return from(this.datasource.listOptions(path, params, request.scopedVars)).pipe(
      map((options) => ({ data: [optionsToFrame(options)] })),
      catchError((err: Error) => of({ data: [], errors: [{ message: err.message }] }))
    );
  }
}
