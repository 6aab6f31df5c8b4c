import fc from 'fast-check';

import { PeriodPlan, PlanInput, describePlan, planPeriod } from './periodPlanner';
import { PERIODS_SECONDS } from './queryModel';
import { DAY_MS, HOUR_MS, MAX_POINTS_PER_PAGE, MINUTE_MS, isRetained } from './retention';

// A "now" that is not aligned to any period, so alignment is exercised.
const NOW = Date.UTC(2026, 10, 24, 12, 34, 56, 789);
// A "now" aligned to the hour, so retention boundaries fall on bucket edges.
const NOW_ALIGNED = Date.UTC(2026, 10, 24, 12, 0, 0, 0);

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'fromMs'>): PeriodPlan {
  const result = planPeriod({ toMs: input.nowMs ?? NOW, nowMs: NOW, period: 'auto', ...input });
  if (!result.ok) {
    throw new Error(`expected a plan, got error: ${result.error}`);
  }
  return result.plan;
}

function planError(input: Partial<PlanInput> & Pick<PlanInput, 'fromMs' | 'toMs'>): string {
  const result = planPeriod({ nowMs: NOW, period: 'auto', ...input });
  if (result.ok) {
    throw new Error(`expected an error, got period ${result.plan.period}`);
  }
  return result.error;
}

describe('retention boundaries (cutoffs inclusive)', () => {
  const cases: Array<[number, number, number]> = [
    // [period, retention days, next coarser period]
    [60, 15, 300],
    [300, 63, 3600],
  ];
  it.each(cases)('period %i s is kept exactly %i days', (period, days, coarser) => {
    const cutoff = NOW_ALIGNED - days * DAY_MS;
    const base = { nowMs: NOW_ALIGNED, toMs: NOW_ALIGNED, period: period as 60 | 300 };
    expect(plan({ ...base, fromMs: cutoff }).period).toBe(period);
    expect(plan({ ...base, fromMs: cutoff + 1 }).period).toBe(period);
    const older = plan({ ...base, fromMs: cutoff - 1 });
    expect(older.period).toBe(coarser);
    expect(older.notices).toHaveLength(1);
  });

  it('keeps hourly data exactly 90 days and clamps one millisecond older', () => {
    const cutoff = NOW_ALIGNED - 90 * DAY_MS;
    const base = { nowMs: NOW_ALIGNED, toMs: NOW_ALIGNED, period: 3600 as const };
    const exact = plan({ ...base, fromMs: cutoff });
    expect(exact).toMatchObject({ period: 3600, startTimeMs: cutoff, notices: [] });
    expect(plan({ ...base, fromMs: cutoff + 1 }).notices).toEqual([]);
    const older = plan({ ...base, fromMs: cutoff - 1 });
    expect(older.startTimeMs).toBe(cutoff);
    expect(older.notices).toEqual([
      {
        severity: 'info',
        text: 'CloudTrail keeps Insights metrics for 90 days: showing data from 2026-08-26T12:00Z instead of 2026-08-26T11:59Z.',
      },
    ]);
  });

  it('aligns the start up, not down, when aligning down would leave retention', () => {
    const p = plan({ fromMs: NOW - 15 * DAY_MS, period: 60 });
    expect(p.period).toBe(60);
    expect(p.startTimeMs).toBeGreaterThanOrEqual(NOW - 15 * DAY_MS);
    expect(p.startTimeMs % MINUTE_MS).toBe(0);
    expect(p.bucketCount).toBe(MAX_POINTS_PER_PAGE);
  });
});

describe('auto period', () => {
  it.each([
    [5 * MINUTE_MS, 60],
    [HOUR_MS, 60],
    [24 * HOUR_MS, 60],
    [7 * DAY_MS, 60],
    [15 * DAY_MS, 60],
    [15 * DAY_MS + MINUTE_MS, 300],
    [30 * DAY_MS, 300],
    [63 * DAY_MS, 300],
    [64 * DAY_MS, 3600],
    [90 * DAY_MS, 3600],
  ])('a range of %i ms without panel constraints uses %i s', (span, expected) => {
    expect(plan({ fromMs: NOW_ALIGNED - span, nowMs: NOW_ALIGNED, toMs: NOW_ALIGNED }).period).toBe(expected);
  });

  it.each([
    [1_000, 60],
    [60_000, 60],
    [61_000, 300],
    [300_000, 300],
    [300_001, 3600],
    [7_200_000, 3600],
  ])('an interval of %i ms picks %i s', (intervalMs, expected) => {
    expect(plan({ fromMs: NOW - HOUR_MS, intervalMs }).period).toBe(expected);
  });

  it.each([
    // 24 h over 1440 points = 60 s per point; over 1000 points = 86.4 s → 300 s; over 20 points = 4320 s → 3600 s
    [1440, 60],
    [1000, 300],
    [288, 300],
    [287, 3600],
    [20, 3600],
  ])('a day over maxDataPoints %i picks %i s', (maxDataPoints, expected) => {
    expect(plan({ fromMs: NOW - DAY_MS, maxDataPoints }).period).toBe(expected);
  });

  it('ignores a maxDataPoints of 0 (no panel width) rather than dividing by it', () => {
    expect(plan({ fromMs: NOW - HOUR_MS, maxDataPoints: 0 }).period).toBe(60);
    expect(plan({ fromMs: NOW - HOUR_MS }).period).toBe(60);
  });

  it('takes the larger of the interval and range / maxDataPoints', () => {
    expect(plan({ fromMs: NOW - DAY_MS, intervalMs: 3_600_000, maxDataPoints: 1440 }).period).toBe(3600);
    expect(plan({ fromMs: NOW - DAY_MS, intervalMs: 1_000, maxDataPoints: 1000 }).period).toBe(300);
  });
});

describe('explicit period', () => {
  it('is kept while retention holds, even when coarser than needed', () => {
    expect(plan({ fromMs: NOW - HOUR_MS, period: 3600 })).toMatchObject({ period: 3600, auto: false, notices: [] });
  });

  it('is raised with a notice when retention no longer holds for the start', () => {
    const p = plan({ fromMs: NOW - 20 * DAY_MS, period: 60 });
    expect(p.period).toBe(300);
    expect(p.notices).toEqual([
      {
        severity: 'warning',
        text: 'Period 60 s is kept for 15 days only and this range starts 20 days ago: using 300 s.',
      },
    ]);
    expect(plan({ fromMs: NOW - 70 * DAY_MS, period: 60 }).period).toBe(3600);
  });

  it('both raises and clamps when the start is older than 90 days', () => {
    const p = plan({ fromMs: NOW - 120 * DAY_MS, period: 300 });
    expect(p.period).toBe(3600);
    expect(p.notices.map((n) => n.severity)).toEqual(['info', 'warning']);
  });
});

describe('alignment', () => {
  it('floorTo start alignment: a 6-hour panel plans exactly its 6 hours, from the bucket holding its start', () => {
    const p = plan({ fromMs: NOW - 6 * HOUR_MS, period: 60, maxDataPoints: 1000 });
    // NOW - 6 h = 06:34:56.789 → the 06:34 bucket; now is inside the 12:34 bucket, which ends at 12:35.
    expect(p).toEqual({
      period: 60,
      auto: false,
      startTimeMs: Date.UTC(2026, 10, 24, 6, 34),
      endTimeMs: Date.UTC(2026, 10, 24, 12, 35),
      bucketCount: 361,
      notices: [],
    });
    expect(plan({ fromMs: NOW - 6 * HOUR_MS, period: 3600 })).toMatchObject({
      startTimeMs: Date.UTC(2026, 10, 24, 6),
      endTimeMs: Date.UTC(2026, 10, 24, 13),
      bucketCount: 7,
    });
  });

  it('a start already on a bucket edge stays there', () => {
    const p = plan({ fromMs: NOW_ALIGNED - 2 * HOUR_MS, nowMs: NOW_ALIGNED, toMs: NOW_ALIGNED, period: 300 });
    expect(p).toMatchObject({ startTimeMs: NOW_ALIGNED - 2 * HOUR_MS, endTimeMs: NOW_ALIGNED, bucketCount: 24 });
  });

  it('a range shorter than one bucket still asks for that whole bucket', () => {
    const p = plan({ fromMs: NOW_ALIGNED - 10_000, toMs: NOW_ALIGNED - 5_000, nowMs: NOW_ALIGNED, period: 60 });
    expect(p).toMatchObject({ startTimeMs: NOW_ALIGNED - MINUTE_MS, endTimeMs: NOW_ALIGNED, bucketCount: 1 });
  });

  it('a range at the retention edge shorter than a bucket still asks for one whole bucket', () => {
    const cutoff = NOW - 15 * DAY_MS;
    const p = plan({ fromMs: cutoff + 1, toMs: cutoff + 2, period: 60 });
    const firstRetained = Math.ceil(cutoff / MINUTE_MS) * MINUTE_MS;
    expect(p).toMatchObject({
      period: 60,
      startTimeMs: firstRetained,
      endTimeMs: firstRetained + MINUTE_MS,
      bucketCount: 1,
    });
  });

  it('aligns start down and end up to whole periods', () => {
    const p = plan({ fromMs: NOW - 6 * HOUR_MS, period: 300 });
    expect(p.startTimeMs % 300_000).toBe(0);
    expect(p.endTimeMs % 300_000).toBe(0);
    expect(p.startTimeMs).toBeLessThanOrEqual(NOW - 6 * HOUR_MS);
    expect(p.endTimeMs).toBeGreaterThanOrEqual(NOW);
    expect(p.endTimeMs - NOW).toBeLessThan(300_000);
  });

  it('gives two overlapping panels the same buckets', () => {
    const a = plan({ fromMs: NOW - 3 * HOUR_MS - 17_000, period: 60 });
    const b = plan({ fromMs: NOW - 3 * HOUR_MS - 41_000, period: 60 });
    expect(a.startTimeMs).toBe(b.startTimeMs);
    expect(a.endTimeMs).toBe(b.endTimeMs);
  });

  it('never asks beyond the bucket holding now, even for a future end', () => {
    const p = plan({ fromMs: NOW - HOUR_MS, toMs: NOW + 2 * DAY_MS });
    expect(p.endTimeMs).toBe(Math.ceil(NOW / 60_000) * 60_000);
  });
});

describe('errors instead of API calls', () => {
  it('rejects a reversed range', () => {
    expect(planError({ fromMs: NOW, toMs: NOW - HOUR_MS })).toBe(
      'The time range is empty or reversed: from 2026-11-24T12:34Z is not before to 2026-11-24T11:34Z.'
    );
  });
  it('rejects an empty range', () => {
    expect(planError({ fromMs: NOW - HOUR_MS, toMs: NOW - HOUR_MS })).toMatch(/empty or reversed/);
  });
  it('rejects a range entirely older than 90 days', () => {
    expect(planError({ fromMs: NOW - 200 * DAY_MS, toMs: NOW - 100 * DAY_MS })).toBe(
      'The whole time range is older than 90 days; CloudTrail keeps Insights metrics only since 2026-08-26T12:34Z.'
    );
    // The end is exclusive: a range ending exactly at the cutoff holds no point.
    expect(planError({ fromMs: NOW - 100 * DAY_MS, toMs: NOW - 90 * DAY_MS })).toMatch(/older than 90 days/);
  });
  it('rejects a range that starts in the future', () => {
    expect(planError({ fromMs: NOW + HOUR_MS, toMs: NOW + 2 * HOUR_MS })).toMatch(/starts in the future/);
  });
  it('rejects a range that starts exactly now (no bucket has data yet)', () => {
    expect(planError({ fromMs: NOW, toMs: NOW + HOUR_MS })).toBe(
      'The time range starts in the future (2026-11-24T12:34Z); there is no data yet.'
    );
    expect(planPeriod({ fromMs: NOW - 1, toMs: NOW + HOUR_MS, nowMs: NOW, period: 'auto' }).ok).toBe(true);
  });
  it('rejects non-finite times', () => {
    expect(planError({ fromMs: Number.NaN, toMs: NOW })).toBe('The time range is not valid.');
  });
});

describe('describePlan', () => {
  it('names the period, the mode and the window', () => {
    const input = { fromMs: NOW - 30 * DAY_MS, toMs: NOW, nowMs: NOW };
    expect(describePlan(plan(input), input)).toBe('Period: 300 s (auto, last 30 days)');
    const past = { fromMs: NOW - 10 * DAY_MS, toMs: NOW - 4 * DAY_MS, nowMs: NOW, period: 3600 as const };
    expect(describePlan(plan(past), past)).toBe('Period: 3600 s (fixed, 6 days range)');
  });

  it('calls a range ending up to one period before now "last …"', () => {
    const recent = { fromMs: NOW - 6 * HOUR_MS - MINUTE_MS, toMs: NOW - MINUTE_MS, nowMs: NOW, period: 300 as const };
    expect(describePlan(plan(recent), recent)).toBe('Period: 300 s (fixed, last 6 hours)');
    const edge = { ...recent, toMs: NOW - 300_000 };
    expect(describePlan(plan(edge), edge)).toBe('Period: 300 s (fixed, last 6 hours)');
    const older = { ...recent, toMs: NOW - 300_001 };
    expect(describePlan(plan(older), older)).toBe('Period: 300 s (fixed, 6 hours range)');
  });
});

describe('properties', () => {
  const arbitraryInput = fc.record({
    nowMs: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
    startAgoMs: fc.integer({ min: 1, max: 120 * DAY_MS }),
    spanMs: fc.integer({ min: 1, max: 120 * DAY_MS }),
    intervalMs: fc.integer({ min: 0, max: 2 * 3_600_000 }),
    maxDataPoints: fc.integer({ min: 0, max: 50_000 }),
    period: fc.constantFrom('auto' as const, ...PERIODS_SECONDS),
  });

  type ArbitraryInput = typeof arbitraryInput extends fc.Arbitrary<infer T> ? T : never;
  const toInput = (a: ArbitraryInput): PlanInput => ({
    nowMs: a.nowMs,
    fromMs: a.nowMs - a.startAgoMs,
    toMs: a.nowMs - a.startAgoMs + a.spanMs,
    intervalMs: a.intervalMs,
    maxDataPoints: a.maxDataPoints,
    period: a.period,
  });

  it('chooses a period allowed for the aligned start, with whole-period bounds', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const input = toInput(a);
        const result = planPeriod(input);
        if (!result.ok) {
          return input.toMs <= input.nowMs - 90 * DAY_MS;
        }
        const { period, startTimeMs, endTimeMs, bucketCount } = result.plan;
        return (
          isRetained(period, startTimeMs, input.nowMs) &&
          startTimeMs % (period * 1000) === 0 &&
          endTimeMs % (period * 1000) === 0 &&
          endTimeMs > startTimeMs &&
          bucketCount === (endTimeMs - startTimeMs) / (period * 1000)
        );
      }),
      { numRuns: 2000, seed: 20261124 }
    );
  });

  it('never plans more than one full page of points', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const result = planPeriod(toInput(a));
        return !result.ok || result.plan.bucketCount <= MAX_POINTS_PER_PAGE;
      }),
      { numRuns: 2000, seed: 20261124 }
    );
  });

  it('in auto mode is never finer than needed, and never coarser than retention or need requires', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const input = { ...toInput(a), period: 'auto' as const };
        const result = planPeriod(input);
        if (!result.ok) {
          return true;
        }
        const needed = Math.max(
          input.intervalMs! / 1000,
          input.maxDataPoints! > 0 ? (input.toMs - input.fromMs) / 1000 / input.maxDataPoints! : 0
        );
        const { period } = result.plan;
        const notFiner = period >= needed || period === 3600;
        const start = Math.max(input.fromMs, input.nowMs - 90 * DAY_MS);
        const finer = PERIODS_SECONDS.filter((p) => p < period);
        const noFinerWouldDo = finer.every((p) => p < needed || !isRetained(p, start, input.nowMs));
        return notFiner && noFinerWouldDo;
      }),
      { numRuns: 2000, seed: 20261124 }
    );
  });
});
