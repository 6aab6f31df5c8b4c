import { getEventListeners } from 'node:events';
import { DeadlineExceededError } from '../core/errors';
import { withRetry, type RetryOptions } from './retry';

const awsError = (name: string, status: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
const throttled = () => awsError('ThrottlingException', 400);
const malformed = (message: string) => Object.assign(new SyntaxError(message), { $metadata: { httpStatusCode: 200 } });

const T0 = Date.UTC(2026, 10, 1);

// Every test runs on a fake clock (withRetry reads Date.now and sleeps on timers), so delays,
// timeouts and abort times are exact, in ms since T0.
beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

const elapsed = () => Date.now() - T0;

/** An attempt that fails with each of `failures` in turn, then answers 'ok'; `calls` counts attempts. */
function scripted(...failures: unknown[]) {
  const script = { calls: 0, attempt: async () => 'ok' };
  script.attempt = async () => {
    script.calls++;
    if (script.calls <= failures.length) {
      throw failures[script.calls - 1];
    }
    return 'ok';
  };
  return script;
}

/** An attempt that never answers; it rejects with its signal's reason once aborted, noting when. */
function hung() {
  const seen: { abortedAt?: number; signal?: AbortSignal } = {};
  const attempt = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      seen.signal = signal;
      signal.addEventListener('abort', () => {
        seen.abortedAt = elapsed();
        reject(signal.reason);
      });
    });
  return { attempt, seen };
}

/** Runs withRetry to the end on the fake clock: its value or error, when it settled, and the retries reported. */
async function run<T>(attempt: (signal: AbortSignal) => Promise<T>, options: Partial<RetryOptions> = {}) {
  const retries: unknown[][] = [];
  const settled = withRetry(attempt, {
    deadlineMs: () => Date.now() + 60_000,
    onRetry: (...args) => retries.push(args),
    ...options,
  }).then(
    (value): { value?: T; error?: Error; at: number } => ({ value, at: elapsed() }),
    (error: Error): { value?: T; error?: Error; at: number } => ({ error, at: elapsed() })
  );
  await jest.runAllTimersAsync();
  return { ...(await settled), retries };
}

describe('what is retried', () => {
  test('throttling and 5xx are retried until success; each retry names the kind, the attempt and the delay', async () => {
    const script = scripted(throttled(), awsError('InternalFailure', 500));
    const result = await run(script.attempt, { random: () => 1 });
    expect(result).toEqual({
      value: 'ok',
      at: 750,
      retries: [
        ['throttle', 1, 250],
        ['transient', 2, 500],
      ],
    });
    expect(script.calls).toBe(3);
  });

  test('a client error is not retried', async () => {
    const script = scripted(awsError('InvalidParameterException', 400));
    const result = await run(script.attempt);
    expect(result).toMatchObject({ error: { message: 'InvalidParameterException happened' }, at: 0, retries: [] });
    expect(script.calls).toBe(1);
  });

  test('attempts are bounded; malformed bodies get fewer attempts', async () => {
    const throttles = scripted(...Array.from({ length: 10 }, throttled));
    expect(await run(throttles.attempt, { maxAttempts: 4 })).toMatchObject({ error: { name: 'ThrottlingException' } });
    expect(throttles.calls).toBe(4);
    const bodies = scripted(...Array.from({ length: 10 }, () => malformed('Unexpected end of JSON input')));
    expect((await run(bodies.attempt)).error).toBeInstanceOf(SyntaxError);
    expect(bodies.calls).toBe(2);
  });

  test('malformed bodies count across the call even when throttles come between them', async () => {
    const script = scripted(
      malformed('Unexpected token'),
      throttled(),
      malformed('Unexpected end of JSON input'),
      throttled()
    );
    expect(await run(script.attempt)).toMatchObject({ error: { message: 'Unexpected end of JSON input' } });
    expect(script.calls).toBe(3);
  });

  test('throttles do not use up the retries of malformed bodies', async () => {
    const script = scripted(throttled(), throttled(), malformed('Unexpected token'));
    expect(await run(script.attempt)).toMatchObject({ value: 'ok' });
    expect(script.calls).toBe(4);
  });
});

describe('backoff (full jitter with a fixed random)', () => {
  test('retry backoff doubles from 250 ms and is capped at 4 s: the smaller of cap and exponential, not the larger', async () => {
    const script = scripted(...Array.from({ length: 10 }, throttled));
    const result = await run(script.attempt, { random: () => 1 });
    expect(result.retries.map(([, , delay]) => delay)).toEqual([250, 500, 1000, 2000, 4000]);
    expect(script.calls).toBe(6);
    expect(result).toMatchObject({ error: { name: 'ThrottlingException' }, at: 7_750 });
  });

  test('the random factor scales each delay and the result is rounded to whole ms', async () => {
    const script = scripted(...Array.from({ length: 10 }, throttled));
    const result = await run(script.attempt, { random: () => 0.5, baseDelayMs: 3, maxDelayMs: 20, maxAttempts: 5 });
    expect(result.retries.map(([, , delay]) => delay)).toEqual([2, 3, 6, 10]); // 1.5, 3, 6 and min(20, 24) halved
  });

  test('no sleep past the deadline: the last error is returned at once instead', async () => {
    const script = scripted(throttled());
    const result = await run(script.attempt, {
      baseDelayMs: 10_000,
      maxDelayMs: 10_000,
      random: () => 1,
      deadlineMs: () => T0 + 500,
    });
    expect(result).toMatchObject({ error: { name: 'ThrottlingException' }, at: 0, retries: [] });
    expect(script.calls).toBe(1);
  });

  test('a retry whose sleep would end exactly at the deadline is not made', async () => {
    const script = scripted(throttled());
    const result = await run(script.attempt, {
      random: () => 1,
      baseDelayMs: 100,
      now: () => 1_000,
      deadlineMs: () => 1_100,
    });
    expect(result).toMatchObject({ error: { name: 'ThrottlingException' } });
    expect(script.calls).toBe(1);
  });
});

describe('deadlines and timeouts', () => {
  test('a passed deadline, or one equal to now, fails before any attempt', async () => {
    for (const deadline of [T0 - 1, T0]) {
      const script = scripted();
      const result = await run(script.attempt, { deadlineMs: () => deadline });
      expect(result.error).toBeInstanceOf(DeadlineExceededError);
      expect(result.error?.message).toBe('the query deadline passed before the call could be sent');
      expect(script.calls).toBe(0);
    }
  });

  test('a hung attempt is cut at the time left and reported as a timeout', async () => {
    const { attempt, seen } = hung();
    const result = await run(attempt, { deadlineMs: () => T0 + 300, attemptTimeoutMs: 10_000 });
    expect(result).toMatchObject({ error: { name: 'TimeoutError', message: 'no answer within 300 ms' }, at: 300 });
    expect(seen.abortedAt).toBe(300);
  });

  test('each attempt is cut at 15 s by default when the deadline is further away', async () => {
    const { attempt, seen } = hung();
    const settled = withRetry(attempt, { deadlineMs: () => T0 + 600_000, maxAttempts: 1 }).catch((e: Error) => e);
    await jest.advanceTimersByTimeAsync(14_999);
    expect(seen.abortedAt).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(seen.abortedAt).toBe(15_000);
    expect(await settled).toMatchObject({ name: 'TimeoutError', message: 'no answer within 15000 ms' });
  });

  test('a timed-out attempt is retried as transient when time is left', async () => {
    const { attempt: hangs } = hung();
    let calls = 0;
    const result = await run((signal) => (++calls === 1 ? hangs(signal) : Promise.resolve('second try')), {
      attemptTimeoutMs: 30,
      random: () => 1,
    });
    expect(result).toEqual({ value: 'second try', at: 30 + 250, retries: [['transient', 1, 250]] });
  });

  test('a finished call leaves no timer running and no listener on the caller signal', async () => {
    const controller = new AbortController();
    const result = await run(scripted(throttled()).attempt, { signal: controller.signal });
    expect(result.value).toBe('ok');
    expect(jest.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('cancellation', () => {
  test("a cancelled panel's AWS call is aborted at once with the caller reason, not left running until the attempt timeout", async () => {
    const controller = new AbortController();
    const { attempt, seen } = hung();
    const settled = withRetry(attempt, {
      signal: controller.signal,
      deadlineMs: () => T0 + 60_000,
      attemptTimeoutMs: 15_000,
    }).catch((e: Error) => ({ error: e, at: elapsed() }));
    await jest.advanceTimersByTimeAsync(10);
    const reason = new Error('panel closed');
    controller.abort(reason);
    expect(await settled).toEqual({ error: reason, at: 10 });
    expect(seen.abortedAt).toBe(10);
    expect(seen.signal?.reason).toBe(reason);
  });

  test('the caller abort wins over retrying: no retry is reported or slept', async () => {
    const controller = new AbortController();
    let calls = 0;
    const result = await run(
      async () => {
        calls++;
        controller.abort(new Error('cancelled by user'));
        throw throttled();
      },
      { signal: controller.signal }
    );
    expect(result).toMatchObject({ error: { message: 'cancelled by user' }, at: 0, retries: [] });
    expect(calls).toBe(1);
  });

  test('an already cancelled caller makes no attempt', async () => {
    const script = scripted();
    const reason = new Error('already gone');
    const result = await run(script.attempt, { signal: AbortSignal.abort(reason) });
    expect(result.error).toBe(reason);
    expect(script.calls).toBe(0);
  });

  test('cancelling during a backoff sleep ends the sleep at once with the caller reason', async () => {
    const controller = new AbortController();
    const script = scripted(throttled());
    const settled = withRetry(script.attempt, {
      signal: controller.signal,
      random: () => 1,
      baseDelayMs: 20_000,
      maxDelayMs: 20_000,
      deadlineMs: () => T0 + 60_000,
    }).catch((e: Error) => ({ error: e, at: elapsed() }));
    await jest.advanceTimersByTimeAsync(10);
    controller.abort(new Error('dashboard left'));
    expect(await settled).toMatchObject({ error: { message: 'dashboard left' }, at: 10 });
    expect(script.calls).toBe(1);
  });
});
