/** The test page: the plugin's config editor and query editor, side by side with a time-range picker. */
import React, { useMemo, useState } from 'react';
import {
  DataSourcePluginContextProvider,
  type DataSourceInstanceSettings,
  type DataSourceSettings,
} from '@grafana/data';
import { RadioButtonGroup, Stack } from '@grafana/ui';

import { ConfigEditor } from '../../../src/components/ConfigEditor';
import { QueryEditor } from '../../../src/components/QueryEditor';
import { DataSource } from '../../../src/datasource';
import { DEFAULT_QUERY } from '../../../src/shared/queryModel';
import { lastDays } from '../../../src/testing/timeRange';
import type {
  CloudTrailInsightsOptions,
  CloudTrailInsightsQuery,
  CloudTrailInsightsSecureJsonData,
} from '../../../src/types';

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
      <section data-testid="config-editor-section" style={{ padding: 16, maxWidth: 720 }}>
        <h3>Data source settings</h3>
        <DataSourcePluginContextProvider instanceSettings={settings.instance}>
          <ConfigEditor options={options} onOptionsChange={setOptions} />
        </DataSourcePluginContextProvider>
      </section>
    </Stack>
  );
}
