/**
 * Annotation editor: which Insights events to mark on panels. Every filter is optional; an empty
 * filter means all event sources or event names in the region.
 */
import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorRow, EditorRows } from '@grafana/plugin-ui';

import type { DataSource } from '../datasource';
import { RESOURCE_PATHS } from '../shared/resources';
import type { CloudTrailInsightsOptions, CloudTrailInsightsQuery } from '../types';
import { ResourceField } from './ResourceField';

type Props = QueryEditorProps<DataSource, CloudTrailInsightsQuery, CloudTrailInsightsOptions>;

export function AnnotationQueryEditor({ datasource, query, onChange }: Props) {
  const update = (patch: Partial<CloudTrailInsightsQuery>) =>
    onChange({ ...query, ...patch, queryType: 'annotations' });
  const region = query.region || undefined;
  return (
    <EditorRows>
      <EditorRow>
        <ResourceField
          id="cloudtrail-annotation-region"
          label="Region"
          datasource={datasource}
          path={RESOURCE_PATHS.regions}
          value={query.region}
          onChange={(value) => update({ region: value || undefined })}
          placeholder={datasource.defaultRegion ? `Default (${datasource.defaultRegion})` : 'Default region'}
          optional
          width={24}
        />
        <ResourceField
          id="cloudtrail-annotation-event-source"
          label="Event source"
          datasource={datasource}
          path={RESOURCE_PATHS.eventSources}
          params={{ region }}
          value={query.eventSource}
          onChange={(eventSource) => update({ eventSource })}
          placeholder="All event sources"
          optional
        />
        <ResourceField
          id="cloudtrail-annotation-event-name"
          label="Event name"
          datasource={datasource}
          path={RESOURCE_PATHS.eventNames}
          params={{ region, eventSource: query.eventSource || undefined }}
          value={query.eventName}
          onChange={(eventName) => update({ eventName })}
          placeholder="All event names"
          optional
        />
      </EditorRow>
    </EditorRows>
  );
}
