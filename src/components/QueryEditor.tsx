/**
 * The panel query editor: brings saved queries to the current model, then offers the query type
 * (metrics or Insights events) and that type's fields.
 */
import React, { useEffect } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { RadioButtonGroup } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrate, needsMigration } from '../queryMigration';
import { DEFAULT_QUERY, QUERY_TYPE_LABELS, isMetricsQuery, type QueryType } from '../shared/queryModel';
import type { CloudTrailInsightsOptions, CloudTrailInsightsQuery } from '../types';
import { EventsQueryEditor } from './EventsQueryEditor';
import { MetricsQueryEditor } from './MetricsQueryEditor';

type Props = QueryEditorProps<DataSource, CloudTrailInsightsQuery, CloudTrailInsightsOptions>;

/** Panels offer metrics and events; annotations have their own editor. */
const PANEL_QUERY_TYPES = ['metrics', 'events'] as const satisfies readonly QueryType[];
const queryTypeOptions = PANEL_QUERY_TYPES.map((value) => ({ value, label: QUERY_TYPE_LABELS[value] }));

/** Fields only one query type reads; switching type drops the other type's (the scope stays). */
const METRICS_ONLY = ['period', 'dataType', 'legendFormat', 'valueUnit'] as const;
const EVENTS_ONLY = ['state', 'eventsFormat'] as const;

/** The query as the other type: shared filters kept, the other type's own fields dropped or defaulted. */
export function withQueryType(query: CloudTrailInsightsQuery, queryType: QueryType): CloudTrailInsightsQuery {
  const next: CloudTrailInsightsQuery = { ...query, queryType };
  if (queryType === 'metrics') {
    EVENTS_ONLY.forEach((key) => delete next[key]);
    next.insightType ??= DEFAULT_QUERY.insightType;
    next.period ??= DEFAULT_QUERY.period;
    next.dataType ??= DEFAULT_QUERY.dataType;
    if (next.insightType !== 'ApiErrorRateInsight') {
      delete next.errorCode;
    }
  } else {
    METRICS_ONLY.forEach((key) => delete next[key]);
  }
  return next;
}

export function QueryEditor(props: Props) {
  const { onChange } = props;
  const stale = needsMigration(props.query);
  const query: CloudTrailInsightsQuery = stale ? migrate(props.query) : props.query;

  // Saved queries from older versions (or provisioning YAML) are rewritten once, on load.
  useEffect(() => {
    if (stale) {
      onChange(migrate(props.query));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stale]);

  const metrics = isMetricsQuery(query);
  return (
    <EditorRows>
      <EditorRow>
        <EditorField label="Query type">
          <RadioButtonGroup<QueryType>
            options={queryTypeOptions}
            value={metrics ? 'metrics' : query.queryType}
            onChange={(queryType) => onChange(withQueryType(query, queryType))}
          />
        </EditorField>
      </EditorRow>
      {metrics ? (
        <MetricsQueryEditor {...props} query={query} />
      ) : (
        <EventsQueryEditor
          datasource={props.datasource}
          query={query}
          onChange={onChange}
          onRunQuery={props.onRunQuery}
        />
      )}
    </EditorRows>
  );
}
