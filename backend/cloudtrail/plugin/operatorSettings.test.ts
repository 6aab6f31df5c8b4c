import { readOperatorSettings } from './operatorSettings';
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
});
