/** Data source instance settings for unit tests (what Grafana hands the data source class). */
import type { DataSourceInstanceSettings, DataSourcePluginMeta } from '@grafana/data';

import type { CloudTrailInsightsOptions } from '../types';

export function instanceSettings(
  jsonData: Partial<CloudTrailInsightsOptions> = {}
): DataSourceInstanceSettings<CloudTrailInsightsOptions> {
  return {
    // Deprecated, but Grafana still passes it and the type still requires it.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    id: 1,
    uid: 'cloudtrail-test',
    type: 'trailwatch-cloudtrailinsights-datasource',
    name: 'CloudTrail Insights',
    access: 'proxy',
    readOnly: false,
    meta: {
      id: 'trailwatch-cloudtrailinsights-datasource',
      info: { version: '1.0.0' },
    } as DataSourcePluginMeta,
    jsonData: { authType: 'keys' as CloudTrailInsightsOptions['authType'], defaultRegion: 'us-east-1', ...jsonData },
  };
}
