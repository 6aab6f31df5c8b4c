/**
 * Retries one AWS call on throttling, 5xx, network errors and unreadable bodies with full-jitter
 * exponential backoff, never sleeping past the caller's deadline. Each attempt gets its own
 * timeout (the smaller of a per-attempt cap and the time left) so a hung endpoint cannot hold
 * the query beyond its deadline.
 */
import { classifyAwsError, type ErrorKind } from './awsFailures';
import { DeadlineExceededError } from '../core/errors';
import { abortableSleep } from '../core/sleep';

export interface RetryOptions {
  /** Aborts waiting and the in-flight attempt. */
  signal?: AbortSignal;
  /** Epoch ms; read before every attempt because a shared call's deadline can grow. */
  deadlineMs: () => number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Upper bound for one attempt. */
  attemptTimeoutMs?: number;
  /** Malformed bodies are retried fewer times than throttles: they rarely heal. */
  maxMalformedAttempts?: number;
  /** Runs before each attempt's clock starts, e.g. waiting for a rate-limiter slot. */
  beforeAttempt?: () => Promise<void>;
  onRetry?: (kind: ErrorKind, attempt: number, delayMs: number) => void;
  random?: () => number;
  now?: () => number;
}

/** Thrown when an attempt ran out of its own time slice (not the caller's abort). */
export class AttemptTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export async function withRetry<T>(attempt: (signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 6;
  const maxMalformed = options.maxMalformedAttempts ?? 2;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 4000;
  let malformedSeen = 0;

  for (let n = 1; ; n++) {
    options.signal?.throwIfAborted();
    await options.beforeAttempt?.();
    const remaining = options.deadlineMs() - now();
    if (remaining <= 0) {
      throw new DeadlineExceededError('the query deadline passed before the call could be sent');
    }
    const sliceMs = Math.min(remaining, options.attemptTimeoutMs ?? 15_000);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new AttemptTimeoutError(sliceMs)), sliceMs);
    const onOuterAbort = () => controller.abort(options.signal!.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      return await attempt(controller.signal);
    } catch (error) {
      if (options.signal?.aborted) {
        throw options.signal.reason;
      }
      const failure = controller.signal.reason instanceof AttemptTimeoutError ? controller.signal.reason : error;
      const kind = classifyAwsError(failure);
      malformedSeen += kind === 'malformed' ? 1 : 0;
      const giveUp = kind === 'fatal' || n >= maxAttempts || (kind === 'malformed' && malformedSeen >= maxMalformed);
      const delay = Math.round(random() * Math.min(cap, base * 2 ** (n - 1)));
      if (giveUp || now() + delay >= options.deadlineMs()) {
        throw failure;
      }
      options.onRetry?.(kind, n, delay);
      await abortableSleep(delay, options.signal);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
  }
}
