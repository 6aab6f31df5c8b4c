/**
 * Annotation editor: which Insights events to mark on panels. Every filter is optional; an empty
 * filter means all event sources or event names in the region.
 */
import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorRow, EditorRows } from '@grafana/plugin-ui';

import type { DataSource } from '../datasource';
import type { CloudTrailInsightsOptions, CloudTrailInsightsQuery } from '../types';
import { FilterFields } from './FilterFields';

type Props = QueryEditorProps<DataSource, CloudTrailInsightsQuery, CloudTrailInsightsOptions>;

export function AnnotationQueryEditor({ datasource, query, onChange }: Props) {
  const update = (patch: Partial<CloudTrailInsightsQuery>) =>
    onChange({ ...query, ...patch, queryType: 'annotations' });
  return (
    <EditorRows>
      <EditorRow>
        <FilterFields idPrefix="cloudtrail-annotation" datasource={datasource} value={query} onChange={update} />
      </EditorRow>
    </EditorRows>
  );
}
