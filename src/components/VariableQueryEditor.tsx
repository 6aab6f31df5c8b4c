/**
 * Editor for dashboard variables: what to list (regions, event sources, …, Insights events) and the
 * filters that list takes. Insights events take the events query's filters and what each option's
 * value is (event name, event source, or one Insight per option by its event ID).
 */
import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorRow, EditorRows } from '@grafana/plugin-ui';

import { INSIGHT_VALUE_FIELDS } from '../shared/resources';
import {
  INSIGHT_VALUE_FIELD_LABELS,
  VARIABLE_FILTERS,
  VARIABLE_KINDS,
  VARIABLE_KIND_LABELS,
  keepOwnFilters,
  migrateVariableQuery,
} from '../shared/variableQuery';
import type {
  CloudTrailInsightsOptions,
  CloudTrailInsightsQuery,
  CloudTrailInsightsVariableQuery,
  FilterEditorDataSource,
} from '../types';
import { EventFilterFields } from './EventFilterFields';
import { FILTER_NAMES, FilterFields } from './FilterFields';
import { OptionField } from './OptionField';

type Props = QueryEditorProps<
  FilterEditorDataSource,
  CloudTrailInsightsQuery,
  CloudTrailInsightsOptions,
  CloudTrailInsightsVariableQuery
>;

const kindOptions = VARIABLE_KINDS.map((value) => ({ value, label: VARIABLE_KIND_LABELS[value] }));
const valueOptions = INSIGHT_VALUE_FIELDS.map((value) => ({ value, label: INSIGHT_VALUE_FIELD_LABELS[value] }));

export function VariableQueryEditor(props: Props) {
  const { datasource } = props;
  const query = migrateVariableQuery<CloudTrailInsightsVariableQuery>(props.query);
  const own = VARIABLE_FILTERS[query.kind] ?? [];

  const update = (patch: Partial<CloudTrailInsightsVariableQuery>) =>
    props.onChange(keepOwnFilters({ ...query, ...patch }));

  return (
    <EditorRows>
      <EditorRow>
        <OptionField
          as="select"
          id="cloudtrail-variable-kind"
          label="List"
          options={kindOptions}
          value={query.kind}
          onChange={(kind) => update({ kind })}
        />
        {query.kind === 'insights' ? (
          <OptionField
            as="select"
            id="cloudtrail-variable-value"
            label="Value"
            tooltip="Event name or event source: one option per distinct name or source of the matching Insights. Event ID: one option per Insight, its text naming it."
            options={valueOptions}
            value={query.valueField ?? 'eventName'}
            onChange={(valueField) => update({ valueField: valueField === 'eventName' ? undefined : valueField })}
            width={30}
          />
        ) : (
          <FilterFields
            idPrefix="cloudtrail-variable"
            datasource={datasource}
            value={query}
            onChange={update}
            show={FILTER_NAMES.filter((name) => own.includes(name))}
          />
        )}
      </EditorRow>
      {query.kind === 'insights' && (
        <EventFilterFields idPrefix="cloudtrail-variable" datasource={datasource} query={query} onChange={update} />
      )}
    </EditorRows>
  );
}
