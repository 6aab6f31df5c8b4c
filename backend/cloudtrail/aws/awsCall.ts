/**
 * One AWS operation under our policy: wait for a quota slot, send with a per-attempt timeout,
 * retry with backoff, count calls/throttles/retries, and turn the final failure into a clear
 * per-query error.
 */
import { logger } from '../../sdk/logger';
import { QueryError } from '../../sdk/types';
import { classifyAwsError } from './awsErrorKinds';
import { toQueryError } from './awsErrors';
import { apiCalls, apiLatency, retries, throttles } from '../core/metrics';
import type { CallPriority } from '../pacing/callPriority';
import { QuotaKey, type AccountScope } from '../core/keys';
import { sharedCoordination } from '../plugin/processCoordination';
import { operationTps, type QueuedCall, type QuotaGate } from '../pacing/rateLimiter';
import { withRetry } from './retry';

/** Who calls and where (proven account + region: the quota's scope) and a printable endpoint for messages. */
export interface CallScope {
  account: AccountScope;
  endpointLabel: string;
}

export interface CallBudget {
  signal?: AbortSignal;
  /** Read before each attempt: a shared call's deadline can grow while it waits. */
  deadlineMs: () => number;
  /** Read at every quota grant (default interactive): a shared call's priority follows its callers. */
  priority?: () => CallPriority;
  /** Told each attempt's place in the quota's line. */
  onQueued?: (call: QueuedCall) => void;
}

/** Counters for a query's stats. */
export interface CallStats {
  apiCalls: number;
  retries: number;
  /** Attempts CloudTrail answered with a throttling error (the refresher backs off on them). */
  throttles?: number;
}

export interface AwsCallOptions {
  limiter?: QuotaGate;
  stats?: CallStats;
  attemptTimeoutMs?: number;
  maxAttempts?: number;
}

export async function awsCall<T>(
  scope: CallScope,
  operation: string,
  send: (signal: AbortSignal) => Promise<T>,
  budget: CallBudget,
  options: AwsCallOptions = {}
): Promise<T> {
  // The process's quota gate: the local limiter, or the one shared by all replicas through Redis.
  const limiter = options.limiter ?? sharedCoordination.quota;
  const tps = operationTps(operation);
  const key = new QuotaKey(scope.account, operation);
  try {
    return await withRetry(
      async (signal) => {
        const stop = apiLatency.startTimer({ operation });
        if (options.stats) {
          options.stats.apiCalls++;
        }
        try {
          const result = await send(signal);
          apiCalls.inc({ operation, outcome: 'ok' });
          return result;
        } catch (error) {
          const throttled = classifyAwsError(error) === 'throttle';
          apiCalls.inc({ operation, outcome: throttled ? 'throttled' : 'error' });
          if (throttled) {
            throttles.inc({ operation });
            if (options.stats) {
              options.stats.throttles = (options.stats.throttles ?? 0) + 1;
            }
            // Everyone sharing this quota stays off for a full window.
            limiter.backOff(key, 1000 / tps);
          }
          throw error;
        } finally {
          stop();
        }
      },
      {
        signal: budget.signal,
        deadlineMs: budget.deadlineMs,
        attemptTimeoutMs: options.attemptTimeoutMs,
        maxAttempts: options.maxAttempts,
        beforeAttempt: () =>
          limiter.acquire(key, tps, {
            signal: budget.signal,
            deadlineMs: budget.deadlineMs,
            priority: budget.priority,
            onQueued: budget.onQueued,
          }),
        onRetry: (kind) => {
          retries.inc({ operation, reason: kind });
          if (options.stats) {
            options.stats.retries++;
          }
        },
      }
    );
  } catch (error) {
    if (budget.signal?.aborted) {
      throw new QueryError(`${operation} was stopped: the request was cancelled or ran out of time.`, 'plugin', 504);
    }
    const failure = toQueryError(error, operation, scope.endpointLabel);
    logger.debug('AWS call failed', {
      operation,
      region: scope.account.region,
      status: failure.status,
      message: failure.message,
    });
    throw failure;
  }
}
