/**
 * The data source under test: keys auth against the simulator's endpoint. The backend receives the
 * secrets (as Grafana would send them decrypted); the page only sees that they are configured.
 */
import { PLUGIN_ID, type DataSourceUnderTest } from './resourceProxy';

export function simulatorDataSource(simulatorUrl: string): DataSourceUnderTest {
  return {
    uid: 'browser-test',
    name: 'CloudTrail Insights (simulator)',
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: simulatorUrl },
    decryptedSecureJsonData: { accessKey: 'AKIDBROWSERTEST', secretKey: 'browser-test-secret-key' },
  };
}

export function pageSettingsFor(datasource: DataSourceUnderTest) {
  const common = {
    id: 1,
    uid: datasource.uid,
    type: PLUGIN_ID,
    name: datasource.name,
    access: 'proxy',
    readOnly: false,
  };
  return {
    instance: { ...common, meta: { id: PLUGIN_ID, info: { version: '1.0.0' } }, jsonData: datasource.jsonData },
    saved: {
      ...common,
      orgId: 1,
      typeName: 'CloudTrail Insights',
      typeLogoUrl: '',
      url: '',
      user: '',
      database: '',
      basicAuth: false,
      basicAuthUser: '',
      isDefault: false,
      withCredentials: false,
      version: 1,
      jsonData: datasource.jsonData,
      secureJsonFields: Object.fromEntries(Object.keys(datasource.decryptedSecureJsonData).map((key) => [key, true])),
    },
  };
}
