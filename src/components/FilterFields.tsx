/**
 * The optional region / scope / event source / event name filters shared by the events, annotation
 * and variable editors. Each list narrows the next: event sources load for the region and scope
 * (management events, or a trail's data events), event names for the chosen event source too.
 */
import React from 'react';

import { isDataEventScope, type EventCategory } from '../shared/queryModel';
import { RESOURCE_PATHS, type ResourceParams } from '../shared/resources';
import type { FilterFieldsSource } from '../types';
import { ResourceField } from './ResourceField';
import { ScopeFields } from './ScopeFields';

/** The filters are the resource lists' own parameters (`trailName` stands for the scope and its trail). */
export type FilterName = keyof ResourceParams;

/** Every filter, in the order each narrows the next. */
export const FILTER_NAMES: readonly FilterName[] = ['region', 'trailName', 'eventSource', 'eventName'];

type FilterValue = ResourceParams & { eventCategory?: EventCategory };

interface Props {
  /** Prefix for the inputs' ids, e.g. `cloudtrail-annotation`. */
  idPrefix: string;
  datasource: FilterFieldsSource;
  value: FilterValue;
  onChange: (patch: FilterValue) => void;
  /** Which filters to show, in this order. */
  show?: readonly FilterName[];
  /** The validator's messages for the scope. */
  issues?: { eventCategory?: string; trailName?: string };
}

export function FilterFields({ idPrefix, datasource, value, onChange, show = FILTER_NAMES, issues }: Props) {
  const region = value.region || undefined;
  // The lists read the trail's data-event Insights in that scope, management events' otherwise.
  const trailName = isDataEventScope(value) ? value.trailName || undefined : undefined;
  return (
    <>
      {show.includes('region') && (
        <ResourceField
          id={`${idPrefix}-region`}
          label="Region"
          datasource={datasource}
          path={RESOURCE_PATHS.regions}
          value={value.region}
          onChange={(next) => onChange({ region: next || undefined })}
          placeholder={datasource.defaultRegion ? `Default (${datasource.defaultRegion})` : 'Default region'}
          optional
          width={24}
        />
      )}
      {show.includes('trailName') && (
        <ScopeFields idPrefix={idPrefix} datasource={datasource} value={value} onChange={onChange} issues={issues} />
      )}
      {show.includes('eventSource') && (
        <ResourceField
          id={`${idPrefix}-event-source`}
          label="Event source"
          datasource={datasource}
          path={RESOURCE_PATHS.eventSources}
          params={{ region, trailName }}
          value={value.eventSource}
          onChange={(eventSource) => onChange({ eventSource })}
          placeholder="All event sources"
          optional
        />
      )}
      {show.includes('eventName') && (
        <ResourceField
          id={`${idPrefix}-event-name`}
          label="Event name"
          datasource={datasource}
          path={RESOURCE_PATHS.eventNames}
          params={{ region, trailName, eventSource: value.eventSource || undefined }}
          value={value.eventName}
          onChange={(eventName) => onChange({ eventName })}
          placeholder="All event names"
          optional
        />
      )}
    </>
  );
}
