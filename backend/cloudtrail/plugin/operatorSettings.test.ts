import { describeOperatorSettings, maxQueriesPerRequest, readOperatorSettings } from './operatorSettings';
import { DOCUMENTED_QUOTAS } from '../pacing/quotas';
import { processServices } from './wiring';

describe('operator settings', () => {
  test('grafana.ini [plugin.<id>] keys (GF_PLUGIN_*) and CLOUDTRAIL_* are two spellings of one setting; grafana.ini wins', () => {
    const settings = readOperatorSettings({
      GF_PLUGIN_REDIS_PREFIX: 'from-ini:',
      CLOUDTRAIL_REDIS_PREFIX: 'from-env:',
      CLOUDTRAIL_PAGE_SIZE: '500',
      GF_PLUGIN_REFRESH_SHARE: '10',
      UNRELATED: 'x',
    });
    expect(settings).toEqual({
      CLOUDTRAIL_REDIS_PREFIX: 'from-ini:',
      CLOUDTRAIL_PAGE_SIZE: '500',
      CLOUDTRAIL_REFRESH_SHARE: '10',
    });
  });

  test('CLOUDTRAIL_QUOTAS replaces the named rates, and its default replaces 10 TPS for the others', async () => {
    const services = processServices({
      CLOUDTRAIL_QUOTAS: 'LookupEvents=50,default=100',
      CLOUDTRAIL_REFRESH_SHARE: '0',
    });
    try {
      expect(services.pacing.tps('LookupEvents')).toBe(50);
      expect(services.pacing.tps('ListInsightsMetricData')).toBe(1); // documented, not overridden
      expect(services.pacing.tps('DescribeTrails')).toBe(100);
    } finally {
      await services.close();
    }
    const plain = processServices({ CLOUDTRAIL_REFRESH_SHARE: '0' });
    try {
      expect(plain.pacing.tps('LookupEvents')).toBe(DOCUMENTED_QUOTAS.tps('LookupEvents'));
    } finally {
      await plain.close();
    }
  });

  test('the new knobs: allowed_endpoints and max_queries_per_request, in both spellings', () => {
    expect(
      readOperatorSettings({ GF_PLUGIN_ALLOWED_ENDPOINTS: 'http://a:1', CLOUDTRAIL_MAX_QUERIES_PER_REQUEST: '250' })
    ).toEqual({
      CLOUDTRAIL_ALLOWED_ENDPOINTS: 'http://a:1',
      CLOUDTRAIL_MAX_QUERIES_PER_REQUEST: '250',
    });
    expect(maxQueriesPerRequest({})).toBe(100);
    expect(maxQueriesPerRequest({ CLOUDTRAIL_MAX_QUERIES_PER_REQUEST: '250' })).toBe(250);
    expect(maxQueriesPerRequest({ CLOUDTRAIL_MAX_QUERIES_PER_REQUEST: '0' })).toBe(100);
    expect(maxQueriesPerRequest({ CLOUDTRAIL_MAX_QUERIES_PER_REQUEST: 'lots' })).toBe(100);
  });

  test('the values in force, where each came from, and no secret', () => {
    const described = describeOperatorSettings({
      GF_PLUGIN_REDIS_URL: 'rediss://grafana:t0ken@cache.example:6380/2',
      CLOUDTRAIL_REDIS_PASSWORD: 'hunter2',
      CLOUDTRAIL_REFRESH_SHARE: '20',
      GF_PLUGIN_REDIS_SHARED_SECRET: 'mac-key-9c2e',
    });
    expect(described.redis_url).toEqual({ value: 'rediss://***@cache.example:6380/2', from: 'grafana.ini' });
    expect(described.redis_password).toEqual({ value: '(set)', from: 'CLOUDTRAIL_REDIS_PASSWORD' });
    expect(described.refresh_share).toEqual({ value: '20', from: 'CLOUDTRAIL_REFRESH_SHARE' });
    expect(described.max_queries_per_request).toEqual({ value: '100', from: 'default' });
    expect(described.refresh_window_ms).toEqual({ value: '7200000', from: 'default' });
    expect(described.redis_shared_secret).toEqual({ value: '(set)', from: 'grafana.ini' });
    expect(Object.keys(described)).toHaveLength(22);
    expect(JSON.stringify(described)).not.toMatch(/hunter2|t0ken|grafana:|mac-key/);
  });
});
