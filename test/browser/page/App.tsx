/**
 * The test page: the plugin's query editor with a time-range picker, its annotation and
 * dashboard-variable editors (the variable's values previewed as Grafana does), and its config editor.
 */
import React, { useMemo, useState } from 'react';
import {
  DataSourcePluginContextProvider,
  type DataSourceInstanceSettings,
  type DataSourceSettings,
} from '@grafana/data';
import { RadioButtonGroup, Stack } from '@grafana/ui';

import { AnnotationQueryEditor } from '../../../src/components/AnnotationQueryEditor';
import { ConfigEditor } from '../../../src/components/ConfigEditor';
import { QueryEditor } from '../../../src/components/QueryEditor';
import { VariableQueryEditor } from '../../../src/components/VariableQueryEditor';
import { DataSource } from '../../../src/datasource';
import { DEFAULT_QUERY } from '../../../src/shared/queryModel';
import { lastDays } from '../../../src/testing/timeRange';
import type {
  CloudTrailInsightsOptions,
  CloudTrailInsightsQuery,
  CloudTrailInsightsSecureJsonData,
  CloudTrailInsightsVariableQuery,
} from '../../../src/types';
import { VariablePreview } from './VariablePreview';

export interface PageSettings {
  instance: DataSourceInstanceSettings<CloudTrailInsightsOptions>;
  /** What Grafana's data source page would hold: secrets only as "configured" flags. */
  saved: DataSourceSettings<CloudTrailInsightsOptions, CloudTrailInsightsSecureJsonData>;
}

const RANGES = [
  { value: 1, label: 'Last 24 hours' },
  { value: 30, label: 'Last 30 days' },
  { value: 80, label: 'Last 80 days' },
];

export function App({ settings }: { settings: PageSettings }) {
  const datasource = useMemo(() => new DataSource(settings.instance), [settings.instance]);
  const [options, setOptions] = useState(settings.saved);
  const [days, setDays] = useState(30);
  const [query, setQuery] = useState<CloudTrailInsightsQuery>({
    refId: 'A',
    ...DEFAULT_QUERY,
    eventSource: '',
    eventName: '',
  });
  const range = useMemo(() => lastDays(days), [days]);
  const [annotation, setAnnotation] = useState<CloudTrailInsightsQuery>({
    refId: 'Anno',
    queryType: 'annotations',
    eventSource: '',
    eventName: '',
  });
  const [variable, setVariable] = useState<CloudTrailInsightsVariableQuery>({ refId: 'var', kind: 'eventSources' });

  return (
    <Stack direction="column" gap={4}>
      <section data-testid="query-editor-section" style={{ padding: 16 }}>
        <h3>Query editor</h3>
        <Stack direction="column" gap={2}>
          <RadioButtonGroup aria-label="Time range" options={RANGES} value={days} onChange={setDays} />
          <QueryEditor datasource={datasource} query={query} onChange={setQuery} onRunQuery={() => {}} range={range} />
        </Stack>
        <pre data-testid="query-json" hidden>
          {JSON.stringify(query)}
        </pre>
      </section>
      <section data-testid="annotation-editor-section" style={{ padding: 16 }}>
        <h3>Annotation</h3>
        <AnnotationQueryEditor
          datasource={datasource}
          query={annotation}
          onChange={setAnnotation}
          onRunQuery={() => {}}
        />
        <pre data-testid="annotation-json" hidden>
          {JSON.stringify(annotation)}
        </pre>
      </section>
      <section data-testid="variable-editor-section" style={{ padding: 16 }}>
        <h3>Dashboard variable</h3>
        <VariableQueryEditor
          datasource={datasource}
          query={variable}
          onChange={(next) => setVariable(next as unknown as CloudTrailInsightsVariableQuery)}
          onRunQuery={() => {}}
        />
        <VariablePreview datasource={datasource} query={variable} range={range} />
        <pre data-testid="variable-json" hidden>
          {JSON.stringify(variable)}
        </pre>
      </section>
      <section data-testid="config-editor-section" style={{ padding: 16, maxWidth: 720 }}>
        <h3>Data source settings</h3>
        <DataSourcePluginContextProvider instanceSettings={settings.instance}>
          <ConfigEditor options={options} onOptionsChange={setOptions} />
        </DataSourcePluginContextProvider>
      </section>
    </Stack>
  );
}
