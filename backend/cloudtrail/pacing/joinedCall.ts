/**
 * One AWS call (or paged series of calls) that several queries wait for: a series fetch, an
 * Insights list load. It runs on its own signal, deadline and priority, never its first caller's:
 * - it is cancelled only when every caller that still wants it has cancelled (before its turn in
 *   the quota's line: no call at all);
 * - its priority is the highest of the callers still waiting (alert > interactive), and
 *   `background` once nobody waits;
 * - each caller stops waiting on its own abort or deadline (or at once when the call's turn is
 *   expected after that deadline) without stopping it for the others. A caller with `keepMs` still
 *   wants the result after giving up (it will ask again: a dashboard refresh, the next alert
 *   evaluation), so the call goes on in the background until `keepMs` after it was expected, and
 *   is dropped if its turn has not come by then and nobody asked again.
 */
import type { CallBudget, CallPriority, QueuedCall } from '../core/calls';
import { DeadlineExceededError } from '../core/errors';

export interface CallerInterest {
  signal?: AbortSignal;
  /** Epoch ms: the caller stops waiting then. */
  deadlineMs: number;
  priority: CallPriority;
  /** How long after the call's expected turn a caller that gave up still wants it (default 0). */
  keepMs?: number;
}

/** What `wait` answers when the caller's deadline came (or will come) before the call's result. */
export const LATE = Symbol('late');

interface Caller {
  waiting: boolean;
  priority: CallPriority;
  /** Epoch ms until which this caller wants the call made. */
  keepUntilMs: number;
}

const RANK: Record<CallPriority, number> = { background: 0, interactive: 1, alert: 2 };

export class JoinedCall<T> {
  readonly done: Promise<T>;
  private readonly controller = new AbortController();
  private readonly callers = new Set<Caller>();
  private readonly placeWatchers = new Set<() => void>();
  private place?: QueuedCall;
  private expiry?: ReturnType<typeof setTimeout>;

  constructor(
    run: (budget: CallBudget) => Promise<T>,
    private readonly now: () => number = Date.now
  ) {
    this.done = run({
      signal: this.controller.signal,
      deadlineMs: () => this.deadlineMs(),
      priority: () => this.priority(),
      onQueued: (place) => {
        this.place = place;
        this.placeWatchers.forEach((watch) => watch());
      },
    });
    this.done.catch(() => undefined).finally(() => clearTimeout(this.expiry));
  }

  /** Callers waiting for the result now. */
  get waiting(): number {
    return [...this.callers].filter((c) => c.waiting).length;
  }

  /** When the call's next (or current) turn in the quota's line is expected; now if not queued. */
  etaMs(): number {
    return Math.max(this.now(), this.place?.etaMs() ?? 0);
  }

  /** How long until that turn: 0 once it is due (the call is then being sent or answered). */
  msUntilTurn(): number {
    return this.etaMs() - this.now();
  }

  /** Stops the call for everyone (e.g. background work over its bound). */
  cancel(reason: Error): void {
    this.controller.abort(reason);
  }

  /** The result, or LATE once this caller's deadline comes first; rejects on its abort or the call's failure. */
  wait(interest: CallerInterest): Promise<T | typeof LATE> {
    const keepMs = interest.keepMs ?? 0;
    const caller: Caller = {
      waiting: true,
      priority: interest.priority,
      keepUntilMs: keepMs > 0 ? Infinity : interest.deadlineMs,
    };
    return new Promise<T | typeof LATE>((resolve, reject) => {
      if (interest.signal?.aborted) {
        reject(interest.signal.reason);
        return;
      }
      this.callers.add(caller);
      const stopWaiting = () => {
        caller.waiting = false;
        clearTimeout(timer);
        interest.signal?.removeEventListener('abort', onAbort);
        this.placeWatchers.delete(watchPlace);
      };
      const giveUp = () => {
        stopWaiting();
        caller.keepUntilMs = keepMs > 0 ? Math.max(interest.deadlineMs, this.etaMs()) + keepMs : interest.deadlineMs;
        this.armExpiry();
        resolve(LATE);
      };
      const onAbort = () => {
        stopWaiting();
        this.callers.delete(caller);
        if (!this.callers.size) {
          this.controller.abort(new Error('every query waiting for this call was cancelled'));
        } else {
          this.armExpiry();
        }
        reject(interest.signal!.reason);
      };
      const watchPlace = () => {
        if (this.etaMs() > interest.deadlineMs) {
          giveUp();
        }
      };
      const timer = setTimeout(giveUp, Math.max(0, interest.deadlineMs - this.now()));
      interest.signal?.addEventListener('abort', onAbort, { once: true });
      this.placeWatchers.add(watchPlace);
      watchPlace();
      this.done.then(
        (value) => {
          stopWaiting();
          resolve(value);
        },
        (error) => {
          stopWaiting();
          reject(error);
        }
      );
    });
  }

  private priority(): CallPriority {
    let best: CallPriority = 'background';
    for (const c of this.callers) {
      if (c.waiting && RANK[c.priority] > RANK[best]) {
        best = c.priority;
      }
    }
    return best;
  }

  private deadlineMs(): number {
    let latest = this.callers.size ? -Infinity : Infinity;
    this.callers.forEach((c) => (latest = Math.max(latest, c.keepUntilMs)));
    return latest;
  }

  /** Once nobody waits: drop the call if its turn has not come when the last interest runs out. */
  private armExpiry(): void {
    clearTimeout(this.expiry);
    const until = this.deadlineMs();
    if (this.waiting || !Number.isFinite(until)) {
      return;
    }
    this.expiry = setTimeout(
      () => {
        if (this.waiting) {
          return; // whoever waits now re-arms it when giving up
        }
        if (this.now() < this.deadlineMs()) {
          this.armExpiry(); // someone asked again, or the timer fired early
        } else if (this.etaMs() > this.now()) {
          this.controller.abort(new DeadlineExceededError('nobody asked for this call again before its turn'));
        }
      },
      Math.max(0, until - this.now())
    );
    this.expiry.unref?.();
  }
}
