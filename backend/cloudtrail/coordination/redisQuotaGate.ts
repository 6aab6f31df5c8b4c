/**
 * One CloudTrail quota across replicas: each acquire queues in Redis (quotaScript.ts) and polls
 * when its slot is due. Priorities order the queue by arrival time plus an offset: an alert
 * evaluation goes ahead of dashboard queries that arrived up to ALERT_LEAD_MS before it (so a
 * dashboard query is never held back by more than that), background refreshes go after every
 * alert and dashboard query. When Redis is unavailable the local fallback gate (1/N of the quota)
 * takes over, also for a waiter already queued in Redis.
 */
import { randomUUID } from 'node:crypto';
import { DeadlineExceededError } from '../rateLimiter';
import { abortableSleep } from '../sleep';
import { QUOTA_SCRIPT, takeAnswer } from './quotaScript';
import { redisKey } from './redisKeys';
import { UNAVAILABLE, type RedisLink } from './redisLink';
import type { CallPriority, GateOptions, Keyed, QuotaGate } from './types';

export const ALERT_LEAD_MS = 10_000;
/** Background work sorts after anything that arrives within a day: effectively always last. */
export const BACKGROUND_LAG_MS = 86_400_000;
export const PRIORITY_OFFSET_MS: Record<CallPriority, number> = {
  alert: -ALERT_LEAD_MS,
  interactive: 0,
  background: BACKGROUND_LAG_MS,
};
/** A waiter's lease in the queue; renewed at every poll, so polls come at least this often. */
export const WAITER_LEASE_MS = 3_000;
const MAX_POLL_MS = 1_000;
const MIN_POLL_MS = 5;
/** The same safety margin as the local limiter: spacing is 1/TPS plus 10%. */
export const MARGIN_FRACTION = 0.1;

export class RedisQuotaGate implements QuotaGate {
  private readonly process = randomUUID();
  private sequence = 0;

  constructor(
    private readonly link: RedisLink,
    private readonly fallback: QuotaGate,
    private readonly now: () => number = Date.now
  ) {
    link.client.defineCommand('cloudtrailQuota', { numberOfKeys: 3, lua: QUOTA_SCRIPT });
  }

  async acquire(key: Keyed, tps: number, options: GateOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const member = `${this.process}:${++this.sequence}`;
    const spacing = Math.ceil((1000 / tps) * (1 + MARGIN_FRACTION));
    const offset = PRIORITY_OFFSET_MS[options.priority ?? 'interactive'];
    try {
      for (let first = true; ; first = false) {
        const deadlineIn = options.deadlineMs === undefined ? -1 : Math.max(0, options.deadlineMs - this.now());
        if (!first && deadlineIn === 0) {
          throw new DeadlineExceededError(
            'the query deadline passed while it waited for its turn under the shared quota'
          );
        }
        const reply = await this.link.attempt((c) =>
          this.run(c, key, 'take', member, offset, spacing, WAITER_LEASE_MS, deadlineIn)
        );
        if (reply === UNAVAILABLE) {
          return await this.fallback.acquire(key, tps, options);
        }
        const answer = takeAnswer(reply);
        if (answer.kind === 'granted') {
          return;
        }
        if (answer.kind === 'late') {
          const queued = Math.round(answer.waitMs / 1000);
          throw new DeadlineExceededError(
            `the request would wait about ${queued} s for its turn under the CloudTrail quota of ${tps} call(s) per second shared by all replicas, past its deadline`
          );
        }
        await abortableSleep(Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, answer.waitMs)), options.signal);
      }
    } catch (error) {
      // Aborted or refused: give the place back so the next waiter is not held up by us.
      void this.link.attempt((c) => this.run(c, key, 'leave', member));
      throw error;
    }
  }

  backOff(key: Keyed, ms: number): void {
    this.fallback.backOff(key, ms);
    void this.link.attempt((c) => this.run(c, key, 'block', '', Math.ceil(ms)));
  }

  private run(client: RedisLink['client'], key: Keyed, ...args: Array<string | number>): Promise<unknown> {
    const base = redisKey(this.link.config.prefix, 'quota', key);
    return client.cloudtrailQuota(base, `${base}:waiters`, `${base}:leases`, ...args);
  }
}
