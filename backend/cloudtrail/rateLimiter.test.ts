import { DeadlineExceededError, RateLimiter, operationTps, parseQuotaOverrides } from './rateLimiter';

const K = { id: 'k' };
const OTHER = { id: 'other' };

test('the documented quotas', () => {
  expect(operationTps('ListInsightsMetricData')).toBe(1);
  expect(operationTps('LookupEvents')).toBe(2);
  expect(operationTps('DescribeTrails')).toBe(10);
});

test('quota overrides parse op=tps lists and ignore junk', () => {
  expect(parseQuotaOverrides('ListInsightsMetricData=50, default=100,bad=x,=3,neg=-1')).toEqual({
    ListInsightsMetricData: 50,
    default: 100,
  });
  expect(parseQuotaOverrides(undefined)).toEqual({});
});

test('concurrent callers on one key are spaced by 1/TPS plus the margin; other keys are independent', async () => {
  const limiter = new RateLimiter({ marginFraction: 0.1 });
  const grants: number[] = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: 5 }, () => limiter.acquire(K, 20).then(() => grants.push(Date.now()))));
  grants.sort((a, b) => a - b);
  grants.slice(1).forEach((t, i) => expect(t - grants[i]).toBeGreaterThanOrEqual(54)); // 50 ms * 1.1, timer jitter aside
  expect(grants[0] - started).toBeLessThan(20);
  const other = Date.now();
  await limiter.acquire(OTHER, 20);
  expect(Date.now() - other).toBeLessThan(20);
});

test('a slot past the deadline is refused at once with a clear reason', async () => {
  const limiter = new RateLimiter();
  await limiter.acquire(K, 1);
  const started = Date.now();
  await expect(limiter.acquire(K, 1, { deadlineMs: Date.now() + 200 })).rejects.toThrow(DeadlineExceededError);
  await expect(limiter.acquire(K, 1, { deadlineMs: Date.now() + 200 })).rejects.toThrow(
    /quota of 1 call\(s\) per second, past its deadline/
  );
  expect(Date.now() - started).toBeLessThan(50);
});

test('backOff holds back even callers that reserved earlier slots', async () => {
  const limiter = new RateLimiter({ marginFraction: 0 });
  await limiter.acquire(K, 100);
  const waiting = limiter.acquire(K, 100).then(() => Date.now());
  limiter.backOff(K, 150);
  const from = Date.now();
  expect((await waiting) - from).toBeGreaterThanOrEqual(140);
});

test('abort ends the wait', async () => {
  const limiter = new RateLimiter();
  await limiter.acquire(K, 1);
  const controller = new AbortController();
  const waiting = limiter.acquire(K, 1, { signal: controller.signal });
  controller.abort(new Error('gone'));
  await expect(waiting).rejects.toThrow('gone');
});
