import { FIRST_BACKOFF_MS, MAX_BACKOFF_MS, RefreshBudget } from './refreshBudget';

const T0 = 1_000_000;

describe('RefreshBudget', () => {
  it('allows at most perMinute calls in any 60 s, also across a minute boundary', () => {
    const budget = new RefreshBudget(3);
    // Spend greedily every second for 5 minutes.
    const sent: number[] = [];
    for (let t = T0; t < T0 + 300_000; t += 1_000) {
      if (budget.allows(t)) {
        budget.record(1, false, t);
        sent.push(t);
      }
    }
    for (const start of sent) {
      expect(sent.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(3);
    }
    expect(sent.length).toBe(15);
  });

  it('counts every call of a refresh (pages, retries) and refuses while they fill the minute', () => {
    const budget = new RefreshBudget(3);
    budget.record(3, false, T0);
    expect(budget.spentInLastMinute(T0 + 30_000)).toBe(3);
    expect(budget.allows(T0 + 59_999)).toBe(false);
    expect(budget.allows(T0 + 60_000)).toBe(true);
  });

  it('allows nothing at 0 per minute', () => {
    expect(new RefreshBudget(0).allows(T0)).toBe(false);
  });

  it('pauses after a throttle, doubling while throttles continue, capped, reset by a success', () => {
    const budget = new RefreshBudget(100);
    expect(budget.record(1, true, T0)).toBe(FIRST_BACKOFF_MS);
    expect(budget.allows(T0 + FIRST_BACKOFF_MS - 1)).toBe(false);
    expect(budget.allows(T0 + FIRST_BACKOFF_MS)).toBe(true);
    let t = T0 + FIRST_BACKOFF_MS;
    expect(budget.record(1, true, t)).toBe(2 * FIRST_BACKOFF_MS);
    expect(budget.allows(t + 2 * FIRST_BACKOFF_MS - 1)).toBe(false);
    for (let i = 0; i < 10; i++) {
      t += MAX_BACKOFF_MS;
      budget.record(1, true, t);
    }
    expect(budget.record(1, true, t)).toBe(MAX_BACKOFF_MS);
    t += MAX_BACKOFF_MS;
    expect(budget.record(1, false, t)).toBe(0);
    expect(budget.allows(t + 1)).toBe(true);
    expect(budget.record(1, true, t + 1)).toBe(FIRST_BACKOFF_MS);
  });
});
