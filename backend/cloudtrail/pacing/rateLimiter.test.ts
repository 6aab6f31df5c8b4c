import { getEventListeners } from 'node:events';
import { RateLimiter } from './rateLimiter';
import type { QueuedCall, CallPriority } from '../core/calls';
import { DeadlineExceededError } from '../core/errors';

const K = { id: 'k' };
const T0 = Date.UTC(2026, 10, 1);

// On a fake clock (the limiter reads Date.now and sets timers), so every grant and refusal time below
// is exact, in ms since T0. Spacings are chosen to be whole ms (1 TPS with the default 10 % margin:
// 1100 ms; 2 TPS: 550 ms).
beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

const elapsed = () => Date.now() - T0;

/** When (ms since T0) the wait ended: `{ grantedAt }`, or `{ refusedAt, error }`. */
function outcome(wait: Promise<void>): Promise<{ grantedAt: number } | { refusedAt: number; error: Error }> {
  return wait.then(
    () => ({ grantedAt: elapsed() }),
    (error: Error) => ({ refusedAt: elapsed(), error })
  );
}

describe('granted slots', () => {
  test('callers on one key are granted one by one, 1/TPS plus the 10 % margin apart; other keys are independent', async () => {
    const limiter = new RateLimiter();
    const line = Array.from({ length: 5 }, () => outcome(limiter.acquire(K, 2)));
    const other = outcome(limiter.acquire({ id: 'other' }, 2));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await Promise.all(line)).toEqual([0, 550, 1100, 1650, 2200].map((grantedAt) => ({ grantedAt })));
    expect(await other).toEqual({ grantedAt: 0 });
  });

  test('a caller arriving mid-spacing waits only for what is left of it, counted from the last grant', async () => {
    const limiter = new RateLimiter({ marginFraction: 0 });
    await limiter.acquire(K, 10);
    await jest.advanceTimersByTimeAsync(30);
    const next = outcome(limiter.acquire(K, 10)); // 70 ms of the 100 ms spacing left
    await jest.advanceTimersByTimeAsync(69);
    const soon = outcome(limiter.acquire(K, 10));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await next).toEqual({ grantedAt: 100 });
    expect(await soon).toEqual({ grantedAt: 200 });
  });

  test('one wake-up timer per quota however many wait, and none of their own without a deadline', async () => {
    const limiter = new RateLimiter();
    const line = Array.from({ length: 100 }, () => outcome(limiter.acquire(K, 1)));
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(2_200);
    expect(jest.getTimerCount()).toBe(1);
    await jest.runAllTimersAsync();
    expect((await Promise.all(line))[99]).toEqual({ grantedAt: 99 * 1_100 });
  });

  test('grants follow the priority rule: alerts ahead of dashboards (never starving them), background last', async () => {
    const limiter = new RateLimiter();
    await limiter.acquire(K, 200); // the lane is busy: everyone below queues before the first grant
    const order: string[] = [];
    const queue = (priority: CallPriority, name: string) =>
      outcome(limiter.acquire(K, 200, { priority }).then(() => void order.push(name)));
    const all = Promise.all([
      queue('background', 'b1'),
      queue('interactive', 'i1'),
      queue('interactive', 'i2'),
      ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((name) => queue('alert', name)),
      queue('interactive', 'i3'),
    ]);
    await jest.runAllTimersAsync();
    await all;
    expect(order).toEqual(['a1', 'a2', 'a3', 'a4', 'i1', 'a5', 'a6', 'i2', 'i3', 'b1']);
  });

  test("a joined call's priority is read at each grant: a queued call that becomes an alert's moves up", async () => {
    const limiter = new RateLimiter();
    await limiter.acquire(K, 200);
    const order: string[] = [];
    let joined: CallPriority = 'background';
    const waits = [
      outcome(limiter.acquire(K, 200).then(() => void order.push('dashboard'))),
      outcome(limiter.acquire(K, 200, { priority: () => joined }).then(() => void order.push('joined'))),
    ];
    joined = 'alert';
    await jest.runAllTimersAsync();
    await Promise.all(waits);
    expect(order).toEqual(['joined', 'dashboard']);
  });

  test('a granted caller leaves nothing behind: its place tells when it was served; no listener, no deadline timer', async () => {
    const limiter = new RateLimiter({ marginFraction: 0 });
    await limiter.acquire(K, 2); // the next slot is 500 ms away
    const controller = new AbortController();
    let place: QueuedCall | undefined;
    const granted = outcome(
      limiter.acquire(K, 2, { signal: controller.signal, deadlineMs: T0 + 5_000, onQueued: (call) => (place = call) })
    );
    expect(place!.etaMs()).toBe(T0 + 500);
    await jest.advanceTimersByTimeAsync(500);
    expect(await granted).toEqual({ grantedAt: 500 });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(jest.getTimerCount()).toBe(1); // the lane's own, to forget it once idle
    await jest.advanceTimersByTimeAsync(10_000); // past the deadline
    expect(place!.etaMs()).toBe(T0 + 500);
    expect(limiter.size).toBe(0);
  });
});

describe('deadlines', () => {
  test('a turn past the deadline is refused at once, saying how long the wait would have been', async () => {
    const limiter = new RateLimiter(); // 1 TPS: 1100 ms apart
    await limiter.acquire(K, 1);
    const ahead = [outcome(limiter.acquire(K, 1)), outcome(limiter.acquire(K, 1))]; // at 1100 and 2200: ours at 3300
    const refused = await outcome(limiter.acquire(K, 1, { deadlineMs: T0 + 3_299 }));
    expect(refused).toMatchObject({ refusedAt: 0 });
    const { error } = refused as { error: Error };
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.name).toBe('DeadlineExceededError');
    expect(error.message).toBe(
      'the request would wait about 3 s for its turn under the CloudTrail quota of 1 call(s) per second, past its deadline'
    );
    // A turn right at the deadline would leave the call no time: it waits, and is refused when the
    // deadline comes (as the Redis gate does); 1 ms earlier, it is granted.
    const atDeadline = outcome(limiter.acquire(K, 1, { deadlineMs: T0 + 3_300 }));
    await jest.advanceTimersByTimeAsync(4_000);
    expect(await atDeadline).toMatchObject({ refusedAt: 3_300, error: expect.any(DeadlineExceededError) });
    const onTime = outcome(limiter.acquire(K, 1, { deadlineMs: Date.now() + 1 }));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await onTime).toEqual({ grantedAt: 4_000 });
    expect(await Promise.all(ahead)).toEqual([{ grantedAt: 1_100 }, { grantedAt: 2_200 }]);
  });

  test('a waiter whose turn moved past its deadline (alerts went ahead) leaves the line at the deadline', async () => {
    const limiter = new RateLimiter({ marginFraction: 0 });
    await limiter.acquire(K, 5); // next slot in 200 ms
    const dashboard = outcome(limiter.acquire(K, 5, { deadlineMs: T0 + 300 }));
    const alerts = Array.from({ length: 3 }, () => outcome(limiter.acquire(K, 5, { priority: 'alert' })));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await dashboard).toMatchObject({ refusedAt: 300, error: expect.any(DeadlineExceededError) });
    expect(await Promise.all(alerts)).toEqual([{ grantedAt: 200 }, { grantedAt: 400 }, { grantedAt: 600 }]);
  });

  test('a deadline that grows while waiting is read again', async () => {
    const limiter = new RateLimiter({ marginFraction: 0 });
    await limiter.acquire(K, 5);
    let deadline = T0 + 250;
    const waiting = outcome(limiter.acquire(K, 5, { deadlineMs: () => deadline }));
    const alert = outcome(limiter.acquire(K, 5, { priority: 'alert' })); // takes the 200 ms slot; ours is at 400 ms
    deadline += 1_000;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await alert).toEqual({ grantedAt: 200 });
    expect(await waiting).toEqual({ grantedAt: 400 });
  });
});

describe('backOff after a throttled answer', () => {
  test('holds back even the caller that was next in line; a shorter one later does not shorten it', async () => {
    const limiter = new RateLimiter({ marginFraction: 0 });
    await limiter.acquire(K, 100); // 10 ms spacing
    const waiting = outcome(limiter.acquire(K, 100));
    limiter.backOff(K, 150);
    limiter.backOff(K, 50);
    const after = outcome(limiter.acquire(K, 100));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await waiting).toEqual({ grantedAt: 150 });
    expect(await after).toEqual({ grantedAt: 160 });
  });

  test('a backOff shorter than the spacing leaves the spacing in force', async () => {
    const limiter = new RateLimiter({ marginFraction: 0 });
    await limiter.acquire(K, 10); // 100 ms spacing
    limiter.backOff(K, 30);
    const next = outcome(limiter.acquire(K, 10));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await next).toEqual({ grantedAt: 100 });
  });

  test('quotas nobody uses any more are forgotten once their spacing passed; a throttle on an idle one is kept', async () => {
    const limiter = new RateLimiter({ marginFraction: 0 });
    for (let i = 0; i < 50; i++) {
      await limiter.acquire({ id: `quota-${i}` }, 100); // 10 ms spacing each
    }
    expect(limiter.size).toBe(50);
    await jest.advanceTimersByTimeAsync(9);
    expect(limiter.size).toBe(50);
    await jest.advanceTimersByTimeAsync(1);
    expect(limiter.size).toBe(0);
    limiter.backOff({ id: 'idle' }, 30); // a throttle seen after the lane went idle is still kept…
    expect(limiter.size).toBe(1);
    const next = outcome(limiter.acquire({ id: 'idle' }, 100));
    await jest.advanceTimersByTimeAsync(100);
    expect(await next).toEqual({ grantedAt: 40 }); // …and obeyed
    expect(limiter.size).toBe(0);
  });
});

describe('abort', () => {
  test('abort ends the wait at once with the caller reason', async () => {
    const limiter = new RateLimiter();
    await limiter.acquire(K, 1);
    const controller = new AbortController();
    const waiting = outcome(limiter.acquire(K, 1, { signal: controller.signal }));
    await jest.advanceTimersByTimeAsync(300);
    controller.abort(new Error('gone'));
    expect(await waiting).toMatchObject({ refusedAt: 300, error: { message: 'gone' } });
  });

  test('an already aborted caller is refused without taking a slot', async () => {
    const limiter = new RateLimiter({ marginFraction: 0 });
    await limiter.acquire(K, 2);
    const reason = new Error('already gone');
    await expect(async () => limiter.acquire(K, 2, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const next = outcome(limiter.acquire(K, 2));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await next).toEqual({ grantedAt: 500 });
  });

  test('aborted waiters give their slots back: the next caller moves up to the first free slot', async () => {
    const limiter = new RateLimiter({ marginFraction: 0 });
    await limiter.acquire(K, 2); // the quota's slot now; the next one is 500 ms away
    const controllers = Array.from({ length: 4 }, () => new AbortController());
    const aborted = controllers.map((c) => outcome(limiter.acquire(K, 2, { signal: c.signal })));
    let place: QueuedCall | undefined;
    const next = outcome(limiter.acquire(K, 2, { onQueued: (call) => (place = call) }));
    expect(place!.etaMs()).toBe(T0 + 2_500); // behind the four, for now
    await jest.advanceTimersByTimeAsync(100);
    controllers.forEach((c) => c.abort(new Error('cancelled')));
    expect(await Promise.all(aborted)).toEqual(aborted.map(() => ({ refusedAt: 100, error: new Error('cancelled') })));
    expect(place!.etaMs()).toBe(T0 + 500);
    await jest.advanceTimersByTimeAsync(1_000);
    // Before the fix it waited behind four dead reservations: 2.5 s.
    expect(await next).toEqual({ grantedAt: 500 });
  });
});

test('an idle quota does not keep the process alive; a waiting caller does', async () => {
  jest.useRealTimers(); // Node's own timers, whose ref state decides whether the process may exit
  const setTimer = jest.spyOn(global, 'setTimeout');
  const keepsAlive = () => (setTimer.mock.results.at(-1)?.value as NodeJS.Timeout).hasRef();
  try {
    const limiter = new RateLimiter({ marginFraction: 0 });
    await limiter.acquire(K, 50); // granted at once; the lane's 20 ms timer is only there to forget it
    expect(setTimer).toHaveBeenCalledTimes(1);
    expect(keepsAlive()).toBe(false);
    expect(await outcome(limiter.acquire(K, 50, { deadlineMs: Date.now() + 1 }))).toHaveProperty('error');
    expect(keepsAlive()).toBe(false); // a caller refused at once left nobody waiting
    const first = outcome(limiter.acquire(K, 50));
    expect(setTimer).toHaveBeenCalledTimes(1); // the same timer now grants the slot…
    expect(keepsAlive()).toBe(true); // …and holds the process open for it
    const second = outcome(limiter.acquire(K, 50));
    expect(await first).toHaveProperty('grantedAt');
    expect(keepsAlive()).toBe(true); // the next slot's timer: someone still waits for it
    expect(await second).toHaveProperty('grantedAt');
    expect(keepsAlive()).toBe(false);
  } finally {
    setTimer.mockRestore();
  }
});
