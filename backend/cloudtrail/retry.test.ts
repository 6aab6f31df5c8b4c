import { DeadlineExceededError } from './rateLimiter';
import { withRetry } from './retry';

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
