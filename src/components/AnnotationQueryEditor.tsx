/**
 * Annotation editor: which Insights events to mark on panels. Every filter is optional; an empty
 * filter means all event sources, event names, insight types or error codes in the region.
 */
import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorRows } from '@grafana/plugin-ui';

import { patchQuery } from '../queryPatch';
import type { CloudTrailInsightsOptions, CloudTrailInsightsQuery, FilterEditorDataSource } from '../types';
import { EventFilterFields } from './EventFilterFields';

type Props = QueryEditorProps<FilterEditorDataSource, CloudTrailInsightsQuery, CloudTrailInsightsOptions>;

export function AnnotationQueryEditor({ datasource, query, onChange }: Props) {
  const update = (patch: Partial<CloudTrailInsightsQuery>) =>
    onChange(patchQuery(query, { ...patch, queryType: 'annotations' }));
  return (
    <EditorRows>
      <EventFilterFields idPrefix="cloudtrail-annotation" datasource={datasource} query={query} onChange={update} />
    </EditorRows>
  );
}
