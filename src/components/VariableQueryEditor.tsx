/**
 * Editor for dashboard variables: what to list (regions, event sources, …) and the filters that
 * list takes (region, event source, event name).
 */
import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Select } from '@grafana/ui';

import type { DataSource } from '../datasource';
import {
  VARIABLE_KINDS,
  VARIABLE_KIND_LABELS,
  type CloudTrailInsightsOptions,
  type CloudTrailInsightsQuery,
  type CloudTrailInsightsVariableQuery,
  type VariableKind,
} from '../types';
import { FILTER_NAMES, FilterFields, type FilterName } from './FilterFields';

type Props = QueryEditorProps<
  DataSource,
  CloudTrailInsightsQuery,
  CloudTrailInsightsOptions,
  CloudTrailInsightsVariableQuery
>;

/** Which filters each list accepts. */
const FILTERS: Record<VariableKind, FilterName[]> = {
  regions: [],
  eventSources: ['region'],
  eventNames: ['region', 'eventSource'],
  errorCodes: ['region', 'eventSource', 'eventName'],
  trails: ['region'],
};

const kindOptions = VARIABLE_KINDS.map((value) => ({ value, label: VARIABLE_KIND_LABELS[value] }));

/** Older or empty saved variables (e.g. a plain string) start as an event source list. */
export function normalizeVariableQuery(query: unknown): CloudTrailInsightsVariableQuery {
  const saved = (typeof query === 'object' && query !== null ? query : {}) as Partial<CloudTrailInsightsVariableQuery>;
  const kind = VARIABLE_KINDS.includes(saved.kind as VariableKind) ? (saved.kind as VariableKind) : 'eventSources';
  return { ...saved, refId: saved.refId ?? 'CloudTrailInsightsVariable', kind };
}

export function VariableQueryEditor(props: Props) {
  const { datasource } = props;
  const query = normalizeVariableQuery(props.query);
  const filters = FILTERS[query.kind];

  const update = (patch: Partial<CloudTrailInsightsVariableQuery>) => {
    const next: CloudTrailInsightsVariableQuery = { ...query, ...patch };
    for (const key of FILTER_NAMES) {
      if (!FILTERS[next.kind].includes(key) || !next[key]) {
        delete next[key];
      }
    }
    props.onChange(next);
  };

  return (
    <EditorRows>
      <EditorRow>
        <EditorField label="List" htmlFor="cloudtrail-variable-kind">
          <Select<VariableKind>
            inputId="cloudtrail-variable-kind"
            aria-label="List"
            options={kindOptions}
            value={query.kind}
            onChange={(selected) => selected.value && update({ kind: selected.value })}
            width={24}
          />
        </EditorField>
        <FilterFields
          idPrefix="cloudtrail-variable"
          datasource={datasource}
          value={query}
          onChange={update}
          show={filters}
        />
      </EditorRow>
    </EditorRows>
  );
}
