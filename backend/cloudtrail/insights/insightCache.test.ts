import { QueryError } from '../../sdk/types';
import type { CallBudget } from '../core/calls';
import { InsightCache, LIST_OVERHEAD_INSIGHTS } from './insightCache';
import type { Insight, InsightList } from '../core/insights';

const T0 = Date.UTC(2026, 10, 1);

const K = { id: 'k' };
const caller = (signal?: AbortSignal) => ({ signal, deadlineMs: () => Date.now() + 5_000 });

test('the cache coalesces loads, serves within its age, reloads after it', async () => {
  const cache = new InsightCache(1000);
  let loads = 0;
  const load = async (): Promise<InsightList> => {
    loads++;
    await new Promise((r) => setTimeout(r, 10));
    return { insights: [], fetchedAtMs: T0, truncated: false };
  };
  await Promise.all([cache.get(K, T0, caller(), load), cache.get(K, T0, caller(), load)]);
  expect(loads).toBe(1);
  await cache.get(K, T0 + 900, caller(), load);
  expect(loads).toBe(1);
  await cache.get(K, T0 + 500, caller(), load, 100); // annotations ask for fresher data
  expect(loads).toBe(2);
});

/** A load that ends when its shared signal aborts (as awsCall does), or after `ms`. */
function slowLoad(ms: number, seen: { signal?: AbortSignal }) {
  return (shared: CallBudget) =>
    new Promise<InsightList>((resolve, reject) => {
      seen.signal = shared.signal;
      const timer = setTimeout(() => resolve({ insights: [], fetchedAtMs: T0, truncated: false }), ms);
      shared.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(shared.signal!.reason);
      });
    });
}

test("a shared load is not cancelled by its first caller's abort: a second caller still gets its answer", async () => {
  const cache = new InsightCache();
  const seen: { signal?: AbortSignal } = {};
  const first = new AbortController();
  const cancelled = cache.get(K, T0, caller(first.signal), slowLoad(50, seen));
  const patient = cache.get(K, T0, caller(), slowLoad(50, seen));
  first.abort(new Error('request cancelled by the caller'));
  await expect(cancelled).rejects.toThrow('LookupEvents was stopped: the request was cancelled');
  await expect(patient).resolves.toMatchObject({ insights: [] });
  expect(seen.signal!.aborted).toBe(false);
});

test('a shared load stops when every caller has cancelled', async () => {
  const cache = new InsightCache();
  const seen: { signal?: AbortSignal } = {};
  const callers = [new AbortController(), new AbortController()];
  const waits = callers.map((c) => cache.get(K, T0, caller(c.signal), slowLoad(5_000, seen)));
  callers.forEach((c) => c.abort(new Error('gone')));
  await Promise.all(waits.map((w) => expect(w).rejects.toThrow(QueryError)));
  expect(seen.signal!.aborted).toBe(true);
});

const insights = (n: number): Insight[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `i${i}`,
    startMs: T0,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    insightType: 'ApiCallRateInsight',
  }));
const listOf = (n: number) => async (): Promise<InsightList> => ({
  insights: insights(n),
  fetchedAtMs: T0,
  truncated: false,
});

test('memory is bounded by Insights kept plus a per-list overhead, least recently used first', async () => {
  const max = 2 * (10 + LIST_OVERHEAD_INSIGHTS);
  const cache = new InsightCache(60_000, max);
  await cache.get({ id: 'a' }, T0, caller(), listOf(10));
  await cache.get({ id: 'b' }, T0, caller(), listOf(10));
  await cache.get({ id: 'a' }, T0, caller(), listOf(10)); // a is now the most recent
  await cache.get({ id: 'c' }, T0, caller(), listOf(10));
  expect(cache.size).toBe(2);
  expect(cache.totalCost).toBeLessThanOrEqual(max);
  let reloaded = 0;
  const counting = async () => {
    reloaded++;
    return listOf(10)();
  };
  await cache.get({ id: 'a' }, T0, caller(), counting);
  expect(reloaded).toBe(0);
  await cache.get({ id: 'b' }, T0, caller(), counting);
  expect(reloaded).toBe(1);
  // Empty lists count too: many quiet accounts cannot grow the cache past its bound.
  for (let i = 0; i < 1000; i++) {
    await cache.get({ id: `quiet-${i}` }, T0, caller(), listOf(0));
  }
  expect(cache.totalCost).toBeLessThanOrEqual(max);
  expect(cache.size).toBe(Math.floor(max / LIST_OVERHEAD_INSIGHTS));
});

test('a list larger than the bound is served but not kept; a failed load leaves nothing behind', async () => {
  const cache = new InsightCache(60_000, 5);
  expect((await cache.get(K, T0, caller(), listOf(10))).insights).toHaveLength(10);
  expect(cache.size).toBe(0);
  await expect(cache.get({ id: 'x' }, T0, caller(), () => Promise.reject(new Error('denied')))).rejects.toThrow(
    'denied'
  );
  expect(cache.size).toBe(0);
  expect(cache.totalCost).toBe(0);
});
