/**
 * The Insights events query: which Insights (filters and state) and how to answer — a table with
 * one row per Insight, or a count per series that alert rules can compare with a threshold.
 */
import React, { useMemo } from 'react';
import { EditorRow } from '@grafana/plugin-ui';

import { patchQuery } from '../queryPatch';
import { EVENTS_FORMATS, EVENTS_FORMAT_LABELS } from '../shared/queryModel';
import { validateQuery, type ValidatedField } from '../shared/validation';
import type { CloudTrailInsightsQuery, FilterFieldsSource } from '../types';
import { EventFilterFields } from './EventFilterFields';
import { OptionField } from './OptionField';

const formatOptions = EVENTS_FORMATS.map((value) => ({ value, label: EVENTS_FORMAT_LABELS[value] }));

interface Props {
  datasource: FilterFieldsSource;
  query: CloudTrailInsightsQuery;
  onChange: (query: CloudTrailInsightsQuery) => void;
  onRunQuery: () => void;
}

export function EventsQueryEditor({ datasource, query, onChange, onRunQuery }: Props) {
  const issues = useMemo(() => {
    const byField: Partial<Record<ValidatedField, string>> = {};
    for (const issue of validateQuery(query, { allowTemplateVariables: true })) {
      byField[issue.field] ??= issue.message;
    }
    return byField;
  }, [query]);

  const update = (patch: Partial<CloudTrailInsightsQuery>) => {
    const next = patchQuery(query, patch);
    onChange(next);
    if (validateQuery(next, { allowTemplateVariables: true }).length === 0) {
      onRunQuery();
    }
  };

  return (
    <>
      <EventFilterFields
        idPrefix="cloudtrail-events"
        datasource={datasource}
        query={query}
        onChange={update}
        issues={issues}
      />
      <EditorRow>
        <OptionField
          label="Format"
          tooltip="Table: one row per Insight. Count per series: the number of matching Insights per event source, event name and insight type, for alert rules."
          options={formatOptions}
          value={query.eventsFormat ?? 'table'}
          onChange={(eventsFormat) => update({ eventsFormat: eventsFormat === 'table' ? undefined : eventsFormat })}
          error={issues.eventsFormat}
        />
      </EditorRow>
    </>
  );
}
