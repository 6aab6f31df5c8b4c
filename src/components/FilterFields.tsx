/**
 * The optional region / event source / event name filters shared by the annotation and variable
 * editors. Each list narrows the next: event names load for the chosen event source and region.
 */
import React from 'react';

import { RESOURCE_PATHS, type ResourceParams } from '../shared/resources';
import type { FilterFieldsSource } from '../types';
import { ResourceField } from './ResourceField';

/** The filters are the resource lists' own parameters. */
export type FilterName = keyof ResourceParams;

/** Every filter, in the order each narrows the next. */
export const FILTER_NAMES: readonly FilterName[] = ['region', 'eventSource', 'eventName'];

interface Props {
  /** Prefix for the inputs' ids, e.g. `cloudtrail-annotation`. */
  idPrefix: string;
  datasource: FilterFieldsSource;
  value: ResourceParams;
  onChange: (patch: ResourceParams) => void;
  /** Which filters to show, in this order. */
  show?: readonly FilterName[];
}

export function FilterFields({ idPrefix, datasource, value, onChange, show = FILTER_NAMES }: Props) {
  const region = value.region || undefined;
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
      {show.includes('eventSource') && (
        <ResourceField
          id={`${idPrefix}-event-source`}
          label="Event source"
          datasource={datasource}
          path={RESOURCE_PATHS.eventSources}
          params={{ region }}
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
          params={{ region, eventSource: value.eventSource || undefined }}
          value={value.eventName}
          onChange={(eventName) => onChange({ eventName })}
          placeholder="All event names"
          optional
        />
      )}
    </>
  );
}
