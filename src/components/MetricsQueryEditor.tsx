/**
 * The metrics query: where to look (region, scope — management events or a trail's data events —,
 * event source, event name), what to chart (insight type, error code), how (period, data type) and
 * how to name the series.
 */
import React, { useMemo } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Input } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { patchQuery } from '../queryPatch';
import {
  DATA_TYPES,
  DATA_TYPE_LABELS,
  INSIGHT_TYPES,
  INSIGHT_TYPE_LABELS,
  PERIODS_SECONDS,
  PERIOD_LABELS,
  type QueryPeriod,
  VALUE_UNITS,
  VALUE_UNIT_LABELS,
  isDataEventScope,
  type MetricsQueryFields,
} from '../shared/queryModel';
import { displayName, seriesLabels } from '../shared/labels';
import { RESOURCE_PATHS } from '../shared/resources';
import { validateQuery, type ValidatedField } from '../shared/validation';
import type { CloudTrailInsightsOptions, CloudTrailInsightsQuery } from '../types';
import { OptionField, type Choice } from './OptionField';
import { PeriodHintView } from './PeriodHintView';
import { ResourceField } from './ResourceField';
import { ScopeFields } from './ScopeFields';

type Props = QueryEditorProps<DataSource, CloudTrailInsightsQuery, CloudTrailInsightsOptions>;

const insightTypeOptions = INSIGHT_TYPES.map((value) => ({ value, label: INSIGHT_TYPE_LABELS[value] }));
const dataTypeOptions = DATA_TYPES.map((value) => ({ value, label: DATA_TYPE_LABELS[value] }));
const valueUnitOptions = VALUE_UNITS.map((value) => ({ value, label: VALUE_UNIT_LABELS[value] }));
const periodOptions: Array<Choice<QueryPeriod>> = [
  { value: 'auto', label: PERIOD_LABELS.auto },
  ...PERIODS_SECONDS.map((value) => ({ value, label: PERIOD_LABELS[String(value)] })),
];

/** The query is already migrated by QueryEditor. */
export function MetricsQueryEditor(props: Props) {
  const { datasource, onChange, onRunQuery, range, data, query } = props;

  const issues = useMemo(() => {
    // A blank new query is not an error yet: "required" shows once the user has started filling it in.
    const blankDraft = !query.eventSource && !query.eventName;
    const byField: Partial<Record<ValidatedField, string>> = {};
    for (const issue of validateQuery(query, { allowTemplateVariables: true })) {
      // The trail is asked for as soon as the data-event scope is chosen.
      if (!(blankDraft && !query[issue.field]) || issue.field === 'trailName') {
        byField[issue.field] ??= issue.message;
      }
    }
    return byField;
  }, [query]);

  /** Applies a change and reruns the panel only when the result is a query CloudTrail can answer. */
  const update = (patch: Partial<CloudTrailInsightsQuery>) => {
    const next = patchQuery(query, patch);
    if (next.insightType !== 'ApiErrorRateInsight') {
      delete next.errorCode;
    }
    onChange(next);
    if (validateQuery(next, { allowTemplateVariables: true }).length === 0) {
      onRunQuery();
    }
  };

  const timeRange = range ?? data?.request?.range;
  const hint = timeRange ? datasource.periodHint(query, timeRange, data?.request) : undefined;
  const region = query.region || undefined;
  // Lists of the trail's data-event Insights in that scope, of management events' otherwise.
  const trailName = isDataEventScope(query) ? query.trailName || undefined : undefined;
  const isErrorRate = query.insightType === 'ApiErrorRateInsight';
  // The name the series gets without a legend, as the backend computes it.
  const legendPlaceholder =
    query.eventSource && query.eventName
      ? displayName(
          undefined,
          seriesLabels(query as MetricsQueryFields, region ?? datasource.defaultRegion),
          query.valueUnit
        )
      : 'Default name, e.g. CreateUser (iam) call rate';

  return (
    <>
      <EditorRow>
        <ResourceField
          id="cloudtrail-region"
          label="Region"
          datasource={datasource}
          path={RESOURCE_PATHS.regions}
          value={query.region}
          onChange={(value) => update({ region: value || undefined })}
          validationError={issues.region}
          placeholder={datasource.defaultRegion ? `Default (${datasource.defaultRegion})` : 'Default region'}
          optional
          width={24}
        />
        <ScopeFields
          idPrefix="cloudtrail"
          datasource={datasource}
          value={query}
          onChange={(patch) => update(patch)}
          issues={issues}
        />
        <ResourceField
          id="cloudtrail-event-source"
          label="Event source"
          datasource={datasource}
          path={RESOURCE_PATHS.eventSources}
          params={{ region, trailName }}
          value={query.eventSource}
          onChange={(eventSource) => update({ eventSource })}
          validationError={issues.eventSource}
          placeholder="e.g. iam.amazonaws.com"
          tooltip="The AWS service endpoint; the list shows services with Insights in the last 90 days."
        />
        <ResourceField
          id="cloudtrail-event-name"
          label="Event name"
          datasource={datasource}
          path={RESOURCE_PATHS.eventNames}
          params={{ region, trailName, eventSource: query.eventSource || undefined }}
          value={query.eventName}
          onChange={(eventName) => update({ eventName })}
          validationError={issues.eventName}
          placeholder="e.g. CreateUser"
        />
      </EditorRow>
      <EditorRow>
        <OptionField
          label="Insight type"
          options={insightTypeOptions}
          value={query.insightType}
          onChange={(insightType) => update({ insightType })}
          error={issues.insightType}
        />
        {isErrorRate && (
          <ResourceField
            id="cloudtrail-error-code"
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
            onChange={(errorCode) => update({ errorCode })}
            validationError={issues.errorCode}
            placeholder="e.g. AccessDenied"
            width={32}
          />
        )}
        <OptionField
          label="Period"
          options={periodOptions}
          value={query.period}
          onChange={(period) => update({ period })}
          error={issues.period}
        />
        <OptionField
          label="Value"
          tooltip="Per period: the count in each period, as CloudTrail reports it. Per minute: that count ÷ the period's minutes, so axes and alert thresholds stay put when the auto period changes."
          options={valueUnitOptions}
          value={query.valueUnit ?? 'perPeriod'}
          onChange={(valueUnit) => update({ valueUnit: valueUnit === 'perPeriod' ? undefined : valueUnit })}
          error={issues.valueUnit}
        />
        <OptionField
          as="select"
          id="cloudtrail-data-type"
          label="Data type"
          options={dataTypeOptions}
          value={query.dataType}
          onChange={(dataType) => update({ dataType })}
          error={issues.dataType}
        />
      </EditorRow>
      <EditorRow>
        <EditorField
          label="Legend"
          htmlFor="cloudtrail-legend"
          optional
          tooltip="Series name template, e.g. {{eventName}} in {{region}}. Labels: region, eventSource, eventName, insightType, errorCode, trailName."
        >
          <Input
            id="cloudtrail-legend"
            placeholder={legendPlaceholder}
            defaultValue={query.legendFormat ?? ''}
            onBlur={(event) => update({ legendFormat: event.currentTarget.value.trim() || undefined })}
            width={40}
          />
        </EditorField>
      </EditorRow>
      {hint && <PeriodHintView hint={hint} />}
    </>
  );
}
