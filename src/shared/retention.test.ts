import { PERIODS_SECONDS } from './queryModel';
import { DAY_MS, MAX_RETENTION_MS, PERIODS_ASCENDING, RETENTION_MS, isRetained, retentionCutoff } from './retention';

const NOW = Date.UTC(2026, 10, 24, 12, 34, 56, 789);

describe('retention', () => {
  it('keeps 60 s data 15 days, 300 s data 63 days and hourly data 90 days', () => {
    expect(RETENTION_MS).toEqual({ 60: 15 * DAY_MS, 300: 63 * DAY_MS, 3600: 90 * DAY_MS });
    expect(MAX_RETENTION_MS).toBe(90 * DAY_MS);
  });

  it('lists periods finest first, each kept longer than the finer one (the planner picks the first that fits)', () => {
    expect(PERIODS_ASCENDING).toEqual([60, 300, 3600]);
    expect([...PERIODS_SECONDS].sort((a, b) => a - b)).toEqual([...PERIODS_ASCENDING]);
    PERIODS_ASCENDING.slice(1).forEach((p, i) =>
      expect(RETENTION_MS[p]).toBeGreaterThan(RETENTION_MS[PERIODS_ASCENDING[i]])
    );
  });

  it('has an inclusive cutoff', () => {
    expect(retentionCutoff(300, NOW)).toBe(NOW - 63 * DAY_MS);
    expect(isRetained(300, NOW - 63 * DAY_MS, NOW)).toBe(true);
    expect(isRetained(300, NOW - 63 * DAY_MS - 1, NOW)).toBe(false);
  });
});
