/**
 * The filters of an Insights events query, an annotation and an Insights-events variable: region,
 * scope (management events, or a trail's data events), event source and event name (each list
 * narrowing the next), insight type (all by default), error code and state.
 */
import React from 'react';
import { EditorRow } from '@grafana/plugin-ui';

import {
  EVENT_STATES,
  EVENT_STATE_LABELS,
  INSIGHT_TYPES,
  INSIGHT_TYPE_LABELS,
  isDataEventScope,
  type InsightType,
} from '../shared/queryModel';
import { RESOURCE_PATHS } from '../shared/resources';
import type { ValidatedField } from '../shared/validation';
import type { CloudTrailInsightsQuery, FilterFieldsSource } from '../types';
import { FilterFields } from './FilterFields';
import { OptionField } from './OptionField';
import { ResourceField } from './ResourceField';

/** '' stands for "all types" in the radio group (the query then has no insightType). */
const insightTypeOptions: Array<{ value: InsightType | ''; label: string }> = [
  { value: '', label: 'All types' },
  ...INSIGHT_TYPES.map((value) => ({ value, label: INSIGHT_TYPE_LABELS[value] })),
];
const stateOptions = EVENT_STATES.map((value) => ({ value, label: EVENT_STATE_LABELS[value] }));

/** The fields these filters edit: an events or annotation query's, or an Insights-events variable's. */
export type EventFilters = Partial<
  Pick<
    CloudTrailInsightsQuery,
    'region' | 'eventCategory' | 'trailName' | 'eventSource' | 'eventName' | 'insightType' | 'errorCode' | 'state'
  >
>;

interface Props {
  idPrefix: string;
  datasource: FilterFieldsSource;
  query: EventFilters;
  onChange: (patch: Partial<EventFilters>) => void;
  issues?: Partial<Record<ValidatedField, string>>;
}

export function EventFilterFields({ idPrefix, datasource, query, onChange, issues = {} }: Props) {
  const region = query.region || undefined;
  const trailName = isDataEventScope(query) ? query.trailName || undefined : undefined;
  return (
    <>
      <EditorRow>
        <FilterFields idPrefix={idPrefix} datasource={datasource} value={query} onChange={onChange} issues={issues} />
      </EditorRow>
      <EditorRow>
        <OptionField<InsightType | ''>
          label="Insight type"
          options={insightTypeOptions}
          value={query.insightType ?? ''}
          onChange={(insightType) =>
            onChange(
              insightType === 'ApiCallRateInsight'
                ? { insightType, errorCode: undefined }
                : { insightType: insightType || undefined }
            )
          }
          error={issues.insightType}
        />
        {query.insightType !== 'ApiCallRateInsight' && (
          <ResourceField
            id={`${idPrefix}-error-code`}
            label="Error code"
            datasource={datasource}
            path={RESOURCE_PATHS.errorCodes}
            params={{
              region,
              trailName,
              eventSource: query.eventSource || undefined,
              eventName: query.eventName || undefined,
            }}
            value={query.errorCode}
            onChange={(errorCode) => onChange({ errorCode: errorCode || undefined })}
            validationError={issues.errorCode}
            placeholder="All error codes"
            optional
          />
        )}
        <OptionField
          label="State"
          options={stateOptions}
          value={query.state ?? 'all'}
          onChange={(state) => onChange({ state: state === 'all' ? undefined : state })}
          error={issues.state}
        />
      </EditorRow>
    </>
  );
}
