/**
 * A process-wide pacer for CloudTrail's per-account, per-region, per-operation quotas
 * (ListInsightsMetricData 1 TPS, LookupEvents 2 TPS, other reads 10 TPS). Each quota is a queue:
 * calls are granted one at a time, spaced by 1/TPS plus a small margin so the service never sees
 * two calls inside one quota window, in the order of callPriority.ts (alerts first, dashboards
 * never starved, background last). A throttled answer pushes the next grant back. A caller that
 * aborts leaves the queue, so the next one moves up into its slot; a caller whose turn would come
 * after its deadline is refused at once, or when the deadline arrives (the line can move). A quota
 * nobody waits for is forgotten once its spacing has passed, so the maps stay as small as the
 * set of quotas in use.
 */
import { DeadlineExceededError } from '../core/errors';
import { callsAhead, nextInLine } from './callPriority';
import type { AcquireOptions, CallPriority, QuotaGate } from '../core/calls';
import type { Keyed } from '../core/keys';

export interface RateLimiterOptions {
  /** Extra spacing per call as a fraction of 1/TPS (100 ms at 1 TPS), absorbing network jitter. */
  marginFraction?: number;
  now?: () => number;
}

interface Waiter {
  priority: () => CallPriority;
  grant: () => void;
  /** Set when it was served or left the line. */
  doneAtMs?: number;
}

/** One quota's queue and pacing state. */
interface Lane {
  id: string;
  spacingMs: number;
  waiters: Waiter[];
  lastGrantMs: number;
  blockedUntilMs: number;
  alertsInARow: number;
  /** The next wake-up: a grant, or forgetting the idle lane. */
  timer?: ReturnType<typeof setTimeout>;
}

const read = <T>(value: T | (() => T)): T => (typeof value === 'function' ? (value as () => T)() : value);

export class RateLimiter implements QuotaGate {
  private readonly lanes = new Map<string, Lane>();
  private readonly marginFraction: number;
  private readonly now: () => number;

  constructor(options: RateLimiterOptions = {}) {
    this.marginFraction = options.marginFraction ?? 0.1;
    this.now = options.now ?? Date.now;
  }

  /** Quotas with someone waiting or a spacing still running (the limiter's memory). */
  get size(): number {
    return this.lanes.size;
  }

  /** Waits in `quota`'s line for a turn; rejects on abort or when the turn would miss the deadline. */
  acquire(quota: Keyed, tps: number, options: AcquireOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const lane = this.lane(quota.id, tps);
    const deadline = () => (options.deadlineMs === undefined ? Infinity : read(options.deadlineMs));
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const leave = (error: unknown) => {
        const index = lane.waiters.indexOf(waiter);
        if (index >= 0) {
          lane.waiters.splice(index, 1);
        }
        settle();
        reject(error);
        this.pump(lane);
      };
      const settle = () => {
        waiter.doneAtMs = this.now();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => leave(options.signal!.reason);
      const waiter: Waiter = {
        priority: () => read(options.priority ?? 'interactive'),
        grant: () => {
          settle();
          resolve();
        },
      };
      const eta = () => this.etaMs(lane, waiter);
      const late = () =>
        new DeadlineExceededError(
          `the request would wait about ${Math.round((eta() - this.now()) / 1000)} s for its turn under the CloudTrail quota of ${tps} call(s) per second, past its deadline`
        );
      const watchDeadline = () => {
        const left = deadline() - this.now();
        if (left <= 0) {
          leave(late());
        } else if (Number.isFinite(left)) {
          timer = setTimeout(watchDeadline, left);
        }
      };
      lane.waiters.push(waiter);
      if (eta() > deadline()) {
        leave(late());
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      watchDeadline();
      options.onQueued?.({ etaMs: eta });
      this.pump(lane);
    });
  }

  backOff(quota: Keyed, ms: number): void {
    // The lane may be gone already (idle); the next caller's spacing replaces the placeholder 0.
    const lane = this.lanes.get(quota.id) ?? this.lane(quota.id, Infinity);
    lane.blockedUntilMs = Math.max(lane.blockedUntilMs, this.now() + ms);
    clearTimeout(lane.timer);
    lane.timer = undefined;
    this.pump(lane);
  }

  private lane(id: string, tps: number): Lane {
    const spacingMs = (1000 / tps) * (1 + this.marginFraction);
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = { id, spacingMs, waiters: [], lastGrantMs: -Infinity, blockedUntilMs: 0, alertsInARow: 0 };
      this.lanes.set(id, lane);
    }
    lane.spacingMs = spacingMs;
    return lane;
  }

  private readyAtMs(lane: Lane): number {
    return Math.max(lane.lastGrantMs + lane.spacingMs, lane.blockedUntilMs);
  }

  private etaMs(lane: Lane, waiter: Waiter): number {
    if (waiter.doneAtMs !== undefined) {
      return waiter.doneAtMs;
    }
    const index = lane.waiters.indexOf(waiter);
    const line = { priorities: lane.waiters.map((w) => w.priority()), alertsInARow: lane.alertsInARow };
    return Math.max(this.now(), this.readyAtMs(lane)) + callsAhead(line, index) * lane.spacingMs;
  }

  /** Grants the next turn when the lane is ready, or sleeps until it is; forgets an idle lane. */
  private pump(lane: Lane): void {
    if (lane.timer) {
      if (lane.waiters.length) {
        lane.timer.ref?.();
      }
      return;
    }
    const wait = this.readyAtMs(lane) - this.now();
    if (wait > 0) {
      lane.timer = setTimeout(() => {
        lane.timer = undefined;
        this.pump(lane);
      }, wait);
      if (!lane.waiters.length) {
        lane.timer.unref?.(); // only there to forget the lane
      }
      return;
    }
    if (!lane.waiters.length) {
      this.lanes.delete(lane.id);
      return;
    }
    const next = nextInLine({ priorities: lane.waiters.map((w) => w.priority()), alertsInARow: lane.alertsInARow });
    const [waiter] = lane.waiters.splice(next.index, 1);
    lane.alertsInARow = next.alertsInARow;
    lane.lastGrantMs = this.now();
    waiter.grant();
    this.pump(lane);
  }
}
