/**
 * One CloudTrail quota across replicas: each acquire waits in a line kept in Redis
 * (quotaScript.ts, the same priority rules as the local limiter) and polls when its turn is due,
 * renewing its place at least every second. When Redis is unavailable the local fallback gate
 * (1/N of the quota) takes over, also for a caller already waiting in Redis, until Redis is
 * usable again: a caller still waiting for its local turn then rejoins the shared line.
 */
import { randomUUID } from 'node:crypto';
import { ALERT_RUN } from '../../pacing/callPriority';
import { DeadlineExceededError } from '../../core/errors';
import { abortableSleep } from '../../core/sleep';
import { QUOTA_KEY_SUFFIXES, QUOTA_SCRIPT, takeAnswer } from './quotaScript';
import { redisKey } from './redisKeys';
import { UNAVAILABLE, type RedisLink } from './redisLink';
import type { GateOptions, Keyed, QuotaGate } from '../types';

/** A waiter's lease in the line; renewed at every poll, so polls come at least this often. */
export const WAITER_LEASE_MS = 3_000;
const MAX_POLL_MS = 1_000;
const MIN_POLL_MS = 5;
/** The same safety margin as the local limiter: spacing is 1/TPS plus 10%. */
export const MARGIN_FRACTION = 0.1;

const afterTwoTurns = (fn: () => void) => setImmediate(() => setImmediate(fn));

const read = <T>(value: T | (() => T)): T => (typeof value === 'function' ? (value as () => T)() : value);

export class RedisQuotaGate implements QuotaGate {
  private readonly process = randomUUID();
  private sequence = 0;

  constructor(
    private readonly link: RedisLink,
    private readonly fallback: QuotaGate,
    private readonly now: () => number = Date.now
  ) {
    link.defineScript('cloudtrailQuota', { numberOfKeys: QUOTA_KEY_SUFFIXES.length, lua: QUOTA_SCRIPT });
  }

  async acquire(key: Keyed, tps: number, options: GateOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const member = `${this.process}:${++this.sequence}`;
    const spacing = Math.ceil((1000 / tps) * (1 + MARGIN_FRACTION));
    let eta = this.now();
    try {
      for (let first = true; ; first = false) {
        const deadline = options.deadlineMs === undefined ? undefined : read(options.deadlineMs);
        const deadlineIn = deadline === undefined ? -1 : Math.max(0, deadline - this.now());
        if (!first && deadlineIn === 0) {
          throw new DeadlineExceededError(
            'the query deadline passed while it waited for its turn under the CloudTrail quota shared by all replicas'
          );
        }
        const priority = read(options.priority ?? 'interactive');
        const reply = await this.link.attempt((c) =>
          this.run(c, key, 'take', member, priority, spacing, WAITER_LEASE_MS, deadlineIn, ALERT_RUN)
        );
        if (reply === UNAVAILABLE) {
          if (await this.localTurn(key, tps, first ? options : { ...options, onQueued: undefined })) {
            return;
          }
          // Redis is back before the local turn came: back into the line all replicas share.
          continue;
        }
        const answer = takeAnswer(reply);
        if (answer.kind === 'granted') {
          eta = this.now();
          // Sent once the call has left: after the continuations queued before it and one more
          // loop turn (a new connection's connect), so that a grant this replica read or acted
          // on late moves the next slot of every replica.
          afterTwoTurns(() => void this.link.attempt((c) => this.run(c, key, 'took', '', spacing)));
          return;
        }
        if (answer.kind === 'late') {
          throw new DeadlineExceededError(
            `the request would wait about ${Math.round(answer.waitMs / 1000)} s for its turn under the CloudTrail quota of ${tps} call(s) per second shared by all replicas, past its deadline`
          );
        }
        eta = this.now() + answer.waitMs;
        if (first) {
          options.onQueued?.({ etaMs: () => eta });
        }
        await abortableSleep(Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, answer.waitMs)), options.signal);
      }
    } catch (error) {
      eta = this.now();
      // Aborted or refused: give the place back so the next waiter is not held up by us.
      void this.link.attempt((c) => this.run(c, key, 'leave', member));
      throw error;
    }
  }

  /**
   * A turn at the local fallback share while Redis is unusable: true when granted, false when
   * Redis became usable first (the caller goes back to the replicas' line, so that a short outage
   * such as a failover does not leave it paced at 1/N for the whole of its wait).
   */
  private async localTurn(key: Keyed, tps: number, options: GateOptions): Promise<boolean> {
    const back = new AbortController();
    const caller = options.signal;
    const follow = () => back.abort(caller!.reason);
    if (caller?.aborted) {
      follow();
    }
    caller?.addEventListener('abort', follow, { once: true });
    let recovered = false;
    const forget = this.link.onceUsable(() => {
      recovered = true;
      back.abort(new Error('Redis is usable again'));
    });
    try {
      await this.fallback.acquire(key, tps, { ...options, signal: back.signal });
      return true;
    } catch (error) {
      if (recovered && !caller?.aborted) {
        return false;
      }
      throw error;
    } finally {
      forget();
      caller?.removeEventListener('abort', follow);
    }
  }

  backOff(key: Keyed, ms: number): void {
    this.fallback.backOff(key, ms);
    void this.link.attempt((c) => this.run(c, key, 'block', '', Math.ceil(ms)));
  }

  private run(client: RedisLink['client'], key: Keyed, ...args: Array<string | number>): Promise<unknown> {
    const base = redisKey(this.link.config.prefix, 'quota', key);
    return client.cloudtrailQuota(...QUOTA_KEY_SUFFIXES.map((s) => `${base}:${s}`), ...args);
  }
}
