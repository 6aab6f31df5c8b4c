import { DeadlineExceededError, RateLimiter, operationTps, parseQuotaOverrides, type QueuedCall } from './rateLimiter';
import type { CallPriority } from './callPriority';

const K = { id: 'k' };

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
  const line = Promise.all(Array.from({ length: 5 }, () => limiter.acquire(K, 20).then(() => grants.push(Date.now()))));
  let otherAt = 0;
  await limiter.acquire({ id: 'other' }, 20).then(() => (otherAt = Date.now()));
  await line;
  grants.sort((a, b) => a - b);
  grants.slice(1).forEach((t, i) => expect(t - grants[i]).toBeGreaterThanOrEqual(54)); // 50 ms * 1.1, timer jitter aside
  expect(grants[0] - started).toBeLessThan(200); // at once (generous bound for a loaded machine)
  expect(otherAt).toBeLessThan(grants[2]); // not behind k's line
});

test('a slot past the deadline is refused at once with a clear reason', async () => {
  const limiter = new RateLimiter();
  await limiter.acquire(K, 1);
  const started = Date.now();
  await expect(limiter.acquire(K, 1, { deadlineMs: Date.now() + 200 })).rejects.toThrow(DeadlineExceededError);
  await expect(limiter.acquire(K, 1, { deadlineMs: Date.now() + 200 })).rejects.toThrow(
    /quota of 1 call\(s\) per second, past its deadline/
  );
  expect(Date.now() - started).toBeLessThan(500); // at once, not after waiting for the ~1 s slot
});

test('backOff holds back even callers that were next in line', async () => {
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

test('aborted waiters give their slots back: the next caller moves up to the first free slot', async () => {
  const limiter = new RateLimiter({ marginFraction: 0 });
  await limiter.acquire(K, 2); // the quota's slot now; the next one is 500 ms away
  const controllers = Array.from({ length: 4 }, () => new AbortController());
  const aborted = controllers.map((c) => limiter.acquire(K, 2, { signal: c.signal }));
  let place: QueuedCall | undefined;
  const started = Date.now();
  const next = limiter.acquire(K, 2, { onQueued: (call) => (place = call) }).then(() => Date.now() - started);
  expect(place!.etaMs() - started).toBeGreaterThanOrEqual(4 * 500); // behind the four, for now
  controllers.forEach((c) => c.abort(new Error('cancelled')));
  await Promise.all(aborted.map((a) => expect(a).rejects.toThrow('cancelled')));
  expect(place!.etaMs() - Date.now()).toBeLessThanOrEqual(500);
  // Before the fix it waited behind four dead reservations: 2.5 s.
  expect(await next).toBeLessThan(1_500);
});

test('grants follow the priority rule: alerts ahead of dashboards (never starving them), background last', async () => {
  const limiter = new RateLimiter();
  await limiter.acquire(K, 200); // the lane is busy: everyone below queues before the first grant
  const order: string[] = [];
  const queue = (priority: CallPriority, name: string) =>
    limiter.acquire(K, 200, { priority }).then(() => order.push(name));
  await Promise.all([
    queue('background', 'b1'),
    queue('interactive', 'i1'),
    queue('interactive', 'i2'),
    ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((name) => queue('alert', name)),
    queue('interactive', 'i3'),
  ]);
  expect(order).toEqual(['a1', 'a2', 'a3', 'a4', 'i1', 'a5', 'a6', 'i2', 'i3', 'b1']);
});

test("a shared call's priority is read at each grant: a queued call that becomes an alert's moves up", async () => {
  const limiter = new RateLimiter();
  await limiter.acquire(K, 200);
  const order: string[] = [];
  let shared: CallPriority = 'background';
  const waits = [
    limiter.acquire(K, 200).then(() => order.push('dashboard')),
    limiter.acquire(K, 200, { priority: () => shared }).then(() => order.push('shared')),
  ];
  shared = 'alert';
  await Promise.all(waits);
  expect(order).toEqual(['shared', 'dashboard']);
});

test('a waiter whose turn moved past its deadline (alerts went ahead) leaves the line at the deadline', async () => {
  const limiter = new RateLimiter({ marginFraction: 0 });
  await limiter.acquire(K, 5); // next slot in 200 ms
  const dashboard = limiter.acquire(K, 5, { deadlineMs: Date.now() + 300 });
  const alerts = Array.from({ length: 3 }, () => limiter.acquire(K, 5, { priority: 'alert' }));
  await expect(dashboard).rejects.toThrow(DeadlineExceededError);
  await Promise.all(alerts);
});

test('a deadline that grows while waiting is read again', async () => {
  const limiter = new RateLimiter({ marginFraction: 0 });
  await limiter.acquire(K, 5);
  let deadline = Date.now() + 250;
  const waiting = limiter.acquire(K, 5, { deadlineMs: () => deadline, priority: 'interactive' });
  const alert = limiter.acquire(K, 5, { priority: 'alert' }); // takes the 200 ms slot; ours is at 400 ms
  deadline += 1_000;
  await expect(Promise.all([waiting, alert])).resolves.toBeDefined();
});

test('quotas nobody uses any more are forgotten', async () => {
  const limiter = new RateLimiter({ marginFraction: 0 });
  for (let i = 0; i < 50; i++) {
    await limiter.acquire({ id: `quota-${i}` }, 100); // 10 ms spacing each
  }
  expect(limiter.size).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 50));
  expect(limiter.size).toBe(0);
  limiter.backOff({ id: 'idle' }, 30); // a throttle seen after the lane went idle is still kept…
  expect(limiter.size).toBe(1);
  const started = Date.now();
  await limiter.acquire({ id: 'idle' }, 100);
  expect(Date.now() - started).toBeGreaterThanOrEqual(25); // …and obeyed
  await new Promise((r) => setTimeout(r, 50));
  expect(limiter.size).toBe(0);
});
