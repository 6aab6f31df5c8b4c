/**
 * Dashboard variables listing regions, event sources, event names, error codes or trails, read
 * from the backend's resource routes (the same lists the query editor offers).
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
import { RESOURCE_PATHS, type ResourceOption } from './shared/resources';
import type { CloudTrailInsightsVariableQuery } from './types';
import type { DataSource } from './datasource';

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
  DataSource,
  CloudTrailInsightsVariableQuery
> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<CloudTrailInsightsVariableQuery>): Observable<DataQueryResponse> {
    // A variable saved before its kind was chosen lists event sources, as its editor shows.
    const saved = request.targets[0];
    const query = { ...saved, kind: saved?.kind ?? 'eventSources' };
    // Each variable kind is named after the resource route it lists.
    const path = RESOURCE_PATHS[query.kind];
    if (!path) {
      return of({ data: [], errors: [{ message: `Choose what the variable lists (got "${query.kind}").` }] });
    }
    const params = { region: query.region, eventSource: query.eventSource, eventName: query.eventName };
    return from(this.datasource.listOptions(path, params, request.scopedVars)).pipe(
      map((options) => ({ data: [optionsToFrame(options)] })),
      catchError((err: Error) => of({ data: [], errors: [{ message: err.message }] }))
    );
  }
}
