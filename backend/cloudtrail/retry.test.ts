import { getEventListeners } from 'node:events';
import { DeadlineExceededError } from './rateLimiter';
import { withRetry, type RetryOptions } from './retry';

const awsError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

const fast = { baseDelayMs: 1, maxDelayMs: 5, deadlineMs: () => Date.now() + 5_000 };

test('throttling and 5xx are retried until success; retries are reported', async () => {
  const failures = [awsError('ThrottlingException', 400), awsError('InternalFailure', 500)];
  const kinds: string[] = [];
  let attempts = 0;
  const result = await withRetry(
    async () => {
      attempts++;
      const next = failures.shift();
      if (next) {
        throw next;
      }
      return 'ok';
    },
    { ...fast, onRetry: (kind) => kinds.push(kind) }
  );
  expect(result).toBe('ok');
  expect(attempts).toBe(3);
  expect(kinds).toEqual(['throttle', 'transient']);
});

test('a client error is not retried', async () => {
  let attempts = 0;
  await expect(
    withRetry(async () => {
      attempts++;
      throw awsError('InvalidParameterException', 400);
    }, fast)
  ).rejects.toThrow('InvalidParameterException happened');
  expect(attempts).toBe(1);
});

test('attempts are bounded; malformed bodies get fewer attempts', async () => {
  let attempts = 0;
  await expect(
    withRetry(
      async () => {
        attempts++;
        throw awsError('ThrottlingException', 400);
      },
      { ...fast, maxAttempts: 4 }
    )
  ).rejects.toThrow('ThrottlingException');
  expect(attempts).toBe(4);
  attempts = 0;
  await expect(
    withRetry(async () => {
      attempts++;
      throw Object.assign(new SyntaxError('Unexpected end of JSON input'), { $metadata: { httpStatusCode: 200 } });
    }, fast)
  ).rejects.toThrow(SyntaxError);
  expect(attempts).toBe(2);
});

test('no sleep past the deadline: the last error is returned instead', async () => {
  const started = Date.now();
  let attempts = 0;
  await expect(
    withRetry(
      async () => {
        attempts++;
        throw awsError('ThrottlingException', 400);
      },
      { baseDelayMs: 10_000, maxDelayMs: 10_000, random: () => 1, deadlineMs: () => started + 500 }
    )
  ).rejects.toThrow('ThrottlingException');
  expect(attempts).toBe(1);
  expect(Date.now() - started).toBeLessThan(100);
});

test('a hung attempt is cut at the time left and reported as a timeout', async () => {
  const started = Date.now();
  const error = await withRetry(
    (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    {
      deadlineMs: () => started + 300,
      attemptTimeoutMs: 10_000,
    }
  ).catch((e: Error) => e);
  expect((error as Error).name).toBe('TimeoutError');
  expect(Date.now() - started).toBeLessThan(600);
});

test('a passed deadline fails before any attempt', async () => {
  await expect(withRetry(async () => 'never', { deadlineMs: () => Date.now() - 1 })).rejects.toThrow(
    DeadlineExceededError
  );
});

test('the caller abort wins over retrying', async () => {
  const controller = new AbortController();
  const promise = withRetry(
    async () => {
      controller.abort(new Error('cancelled by user'));
      throw awsError('ThrottlingException', 400);
    },
    { ...fast, signal: controller.signal }
  );
  await expect(promise).rejects.toThrow('cancelled by user');
});

describe('backoff (full jitter with a fixed random)', () => {
  afterEach(() => jest.useRealTimers());

  /** Runs `withRetry` on fake timers until it settles; returns the delays it slept and the attempts. */
  async function delaysOf(options: Partial<RetryOptions>, failures = Infinity) {
    jest.useFakeTimers();
    const delays: number[] = [];
    let attempts = 0;
    const settled = withRetry(
      async () => {
        attempts++;
        if (attempts <= failures) {
          throw awsError('ThrottlingException', 400);
        }
        return 'ok';
      },
      { deadlineMs: () => Date.now() + 60_000, onRetry: (_, __, delay) => delays.push(delay), ...options }
    ).then(
      (value) => ({ value }),
      (error: Error) => ({ error })
    );
    await jest.runAllTimersAsync();
    return { delays, attempts, outcome: await settled };
  }

  test('retry backoff doubles from 250 ms and is capped at 4 s: the smaller of cap and exponential, not the larger', async () => {
    const { delays, attempts, outcome } = await delaysOf({ random: () => 1 });
    expect(delays).toEqual([250, 500, 1000, 2000, 4000]);
    expect(attempts).toBe(6);
    expect(outcome).toEqual({ error: expect.objectContaining({ name: 'ThrottlingException' }) });
  });

  test('the random factor scales each delay and the result is rounded to whole ms', async () => {
    const { delays } = await delaysOf({ random: () => 0.5, baseDelayMs: 3, maxDelayMs: 20, maxAttempts: 5 });
    expect(delays).toEqual([2, 3, 6, 10]); // 1.5, 3, 6 and min(20, 24) halved
  });

  test('onRetry names the kind, the attempt that failed and the delay about to be slept', async () => {
    jest.useFakeTimers();
    const seen: unknown[] = [];
    const failures = [awsError('ThrottlingException', 400), awsError('InternalFailure', 500)];
    const settled = withRetry(
      async () => {
        const next = failures.shift();
        if (next) {
          throw next;
        }
        return 'ok';
      },
      {
        random: () => 1,
        deadlineMs: () => Date.now() + 60_000,
        onRetry: (...args) => seen.push(args),
      }
    );
    await jest.runAllTimersAsync();
    expect(await settled).toBe('ok');
    expect(seen).toEqual([
      ['throttle', 1, 250],
      ['transient', 2, 500],
    ]);
  });

  test('a retry whose sleep would end exactly at the deadline is not made', async () => {
    let attempts = 0;
    await expect(
      withRetry(
        async () => {
          attempts++;
          throw awsError('ThrottlingException', 400);
        },
        { random: () => 1, baseDelayMs: 100, now: () => 1_000, deadlineMs: () => 1_100 }
      )
    ).rejects.toThrow('ThrottlingException');
    expect(attempts).toBe(1);
  });

  test('malformed bodies count across the call even when throttles come between them', async () => {
    let attempts = 0;
    const failures = [
      Object.assign(new SyntaxError('Unexpected token'), { $metadata: { httpStatusCode: 200 } }),
      awsError('ThrottlingException', 400),
      Object.assign(new SyntaxError('Unexpected end of JSON input'), { $metadata: { httpStatusCode: 200 } }),
      awsError('ThrottlingException', 400),
    ];
    await expect(
      withRetry(async () => {
        attempts++;
        throw failures.shift();
      }, fast)
    ).rejects.toThrow('Unexpected end of JSON input');
    expect(attempts).toBe(3);
  });
});

describe('deadlines and timeouts', () => {
  afterEach(() => jest.useRealTimers());

  test('a deadline equal to now fails before any attempt', async () => {
    let attempts = 0;
    await expect(
      withRetry(
        async () => {
          attempts++;
          return 'sent';
        },
        { now: () => 5_000, deadlineMs: () => 5_000 }
      )
    ).rejects.toThrow('the query deadline passed before the call could be sent');
    expect(attempts).toBe(0);
  });

  test('each attempt is cut at 15 s by default when the deadline is further away', async () => {
    jest.useFakeTimers();
    let abortedAt: number | undefined;
    const started = Date.now();
    const settled = withRetry(
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            abortedAt = Date.now() - started;
            reject(signal.reason);
          })
        ),
      { deadlineMs: () => started + 600_000, maxAttempts: 1 }
    ).catch((e: Error) => e);
    await jest.advanceTimersByTimeAsync(14_999);
    expect(abortedAt).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(abortedAt).toBe(15_000);
    expect(await settled).toMatchObject({ name: 'TimeoutError', message: 'no answer within 15000 ms' });
  });

  test('a timed-out attempt is retried as transient when time is left', async () => {
    let attempts = 0;
    const kinds: string[] = [];
    const result = await withRetry(
      (signal) => {
        attempts++;
        if (attempts === 1) {
          return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
        }
        return Promise.resolve('second try');
      },
      { ...fast, attemptTimeoutMs: 30, onRetry: (kind) => kinds.push(kind) }
    );
    expect(result).toBe('second try');
    expect(kinds).toEqual(['transient']);
  });

  test('a finished call leaves no timer running and no listener on the caller signal', async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    const settled = withRetry(async () => 'ok', { signal: controller.signal, deadlineMs: () => Date.now() + 60_000 });
    await jest.advanceTimersByTimeAsync(0);
    expect(await settled).toBe('ok');
    expect(jest.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('cancellation', () => {
  test('cancelling the caller aborts the attempt in flight at once, with the caller reason', async () => {
    const controller = new AbortController();
    let attemptSignal: AbortSignal | undefined;
    const started = Date.now();
    const settled = withRetry(
      (signal) => {
        attemptSignal = signal;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
      { signal: controller.signal, deadlineMs: () => started + 60_000, attemptTimeoutMs: 30_000 }
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    const reason = new Error('panel closed');
    controller.abort(reason);
    await expect(settled).rejects.toBe(reason);
    expect(attemptSignal?.aborted).toBe(true);
    expect(attemptSignal?.reason).toBe(reason);
    // Well under the 30 s attempt timeout (a generous bound for a loaded machine).
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('an already cancelled caller makes no attempt', async () => {
    let attempts = 0;
    const reason = new Error('already gone');
    await expect(
      withRetry(
        async () => {
          attempts++;
          return 'sent';
        },
        { signal: AbortSignal.abort(reason), deadlineMs: () => Date.now() + 5_000 }
      )
    ).rejects.toBe(reason);
    expect(attempts).toBe(0);
  });

  test('cancelling during a backoff sleep ends the sleep with the caller reason', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const started = Date.now();
    const settled = withRetry(
      async () => {
        attempts++;
        throw awsError('ThrottlingException', 400);
      },
      {
        signal: controller.signal,
        random: () => 1,
        baseDelayMs: 20_000,
        maxDelayMs: 20_000,
        deadlineMs: () => started + 60_000,
      }
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new Error('dashboard left'));
    await expect(settled).rejects.toThrow('dashboard left');
    expect(attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
