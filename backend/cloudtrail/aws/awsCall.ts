/**
 * One AWS operation under our policy: wait for a quota slot, send with a per-attempt timeout,
 * retry with backoff, count calls/throttles/retries, and turn the final failure into a clear
 * per-query error.
 */
import { logger } from '../../sdk/logger';
import { QueryError } from '../../sdk/types';
import { classifyAwsError, toQueryError } from './awsFailures';
import { apiCalls, apiLatency, retries, throttles } from '../core/metrics';
import type { CallBudget, CallScope, CallStats, Pacing } from '../core/calls';
import { QuotaKey } from '../core/keys';
import { withRetry } from './retry';
import { stoppedError } from '../core/errors';

export interface AwsCallOptions {
  /** The process's pacing (plugin/wiring.ts): the local limiter or the gate replicas share. */
  pacing: Pacing;
  stats?: CallStats;
  attemptTimeoutMs?: number;
  maxAttempts?: number;
}

export async function awsCall<T>(
  scope: CallScope,
  operation: string,
  send: (signal: AbortSignal) => Promise<T>,
  budget: CallBudget,
  options: AwsCallOptions
): Promise<T> {
  const limiter = options.pacing.gate;
  const tps = options.pacing.tps(operation);
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
      throw stoppedError(operation);
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
