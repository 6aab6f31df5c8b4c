import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import type { CloudTrailInsightsOptions, CloudTrailInsightsQuery, CloudTrailInsightsSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<
  DataSource,
  CloudTrailInsightsQuery,
  CloudTrailInsightsOptions,
  CloudTrailInsightsSecureJsonData
>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
