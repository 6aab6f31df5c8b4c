import { DOCUMENTED_QUOTAS, QuotaTable, pacingOf, parseQuotaOverrides } from './quotas';
import { RateLimiter } from './rateLimiter';

describe('quotas', () => {
  test('the documented quotas', () => {
    expect(DOCUMENTED_QUOTAS.tps('ListInsightsMetricData')).toBe(1);
    expect(DOCUMENTED_QUOTAS.tps('LookupEvents')).toBe(2);
    expect(DOCUMENTED_QUOTAS.tps('DescribeTrails')).toBe(10);
  });

  test('quota overrides parse op=tps lists and ignore junk, zero and negative rates', () => {
    expect(parseQuotaOverrides(' ListInsightsMetricData = 50, default=100,bad=x,=3,neg=-1,zero=0')).toEqual({
      ListInsightsMetricData: 50,
      default: 100,
    });
    expect(parseQuotaOverrides(undefined)).toEqual({});
  });

  test('overrides replace the named rates, and their default replaces 10 TPS for the others', () => {
    const relaxed = new QuotaTable(parseQuotaOverrides('LookupEvents=50,default=100'));
    expect(relaxed.tps('LookupEvents')).toBe(50);
    expect(relaxed.tps('ListInsightsMetricData')).toBe(1); // documented, not overridden
    expect(relaxed.tps('DescribeTrails')).toBe(100);
  });

  test('pacing pairs a gate with a table', () => {
    const gate = new RateLimiter();
    const pacing = pacingOf(gate, new QuotaTable({ LookupEvents: 7 }));
    expect(pacing.gate).toBe(gate);
    expect(pacing.tps('LookupEvents')).toBe(7);
    expect(pacingOf(gate).tps('LookupEvents')).toBe(2);
  });
});
