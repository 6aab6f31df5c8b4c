/**
 * A query's scope: the Insights on management events (the default) or on one trail's data events,
 * the trail picked from the trails seen from the region (valued by ARN, described by home region and
 * the event categories with Insights) or typed as a name or ARN.
 */
import React from 'react';

import { EVENT_CATEGORIES, EVENT_CATEGORY_LABELS, isDataEventScope, type EventCategory } from '../shared/queryModel';
import { RESOURCE_PATHS } from '../shared/resources';
import type { ResourceFieldSource } from '../types';
import { OptionField } from './OptionField';
import { ResourceField } from './ResourceField';

const scopeOptions = EVENT_CATEGORIES.map((value) => ({ value, label: EVENT_CATEGORY_LABELS[value] }));

export interface ScopeValue {
  eventCategory?: EventCategory;
  trailName?: string;
  region?: string;
}

interface Props {
  /** Prefix for the trail input's id, e.g. `cloudtrail-events`. */
  idPrefix: string;
  datasource: ResourceFieldSource;
  value: ScopeValue;
  onChange: (patch: Pick<ScopeValue, 'eventCategory' | 'trailName'>) => void;
  /** The validator's messages. */
  issues?: { eventCategory?: string; trailName?: string };
}

/** The change a scope choice makes: management drops the trail (and writes no default). */
export function scopePatch(category: EventCategory): Pick<ScopeValue, 'eventCategory' | 'trailName'> {
  return category === 'data' ? { eventCategory: 'data' } : { eventCategory: undefined, trailName: undefined };
}

export function ScopeFields({ idPrefix, datasource, value, onChange, issues = {} }: Props) {
  const data = isDataEventScope(value);
  return (
    <>
      <OptionField<EventCategory>
        label="Scope"
        tooltip="Management events: Insights on the account's management API calls (LookupEvents). Data events: Insights on the data events (S3 objects, Lambda invokes, DynamoDB items, …) one trail logs (ListInsightsData, needs cloudtrail:ListInsightsData)."
        options={scopeOptions}
        value={data ? 'data' : 'management'}
        onChange={(category) => onChange(scopePatch(category))}
        error={issues.eventCategory}
      />
      {data && (
        <ResourceField
          id={`${idPrefix}-trail`}
          label="Trail"
          datasource={datasource}
          path={RESOURCE_PATHS.trails}
          params={{ region: value.region || undefined }}
          value={value.trailName}
          onChange={(trailName) => onChange({ eventCategory: 'data', trailName: trailName || undefined })}
          validationError={issues.trailName}
          placeholder="Choose a trail"
          tooltip="The trail whose data-event Insights to read: the list shows the trails seen from the region (by ARN, with their home region and the event categories that have Insights). A typed name must be a trail homed in the query's region; use the ARN for others."
          width={30}
        />
      )}
    </>
  );
}
