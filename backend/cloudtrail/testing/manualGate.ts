/**
 * A QuotaGate for unit tests: grants at once while open; while held, calls wait until the test
 * releases them, and report the turn the test sets (`etaMs`). Every acquire is recorded with the
 * priority the call had when it was granted, so tests see what the code asked of the quota
 * without pacing real seconds.
 */
import type { CallPriority, AcquireOptions, QuotaGate } from '../core/calls';
import type { Keyed } from '../core/keys';

export interface GateCall {
  quota: string;
  tps: number;
  /** The call's priority when it was granted (undefined while it waits or after it left). */
  grantedAs?: CallPriority;
  /** The call's priority now (a shared call's follows its callers). */
  priority(): CallPriority;
}

interface Waiting {
  call: GateCall;
  grant(): void;
}

const read = <T>(value: T | (() => T)): T => (typeof value === 'function' ? (value as () => T)() : value);

export class ManualGate implements QuotaGate {
  readonly calls: GateCall[] = [];
  readonly backOffs: Array<{ quota: string; ms: number }> = [];
  /** The turn a held call reports (epoch ms, wall clock). */
  etaMs = () => Date.now() + 60_000;
  private readonly line: Waiting[] = [];

  constructor(private open = true) {}

  /** Calls acquired from now on wait for `release`. */
  hold(etaMs?: () => number): void {
    this.open = false;
    if (etaMs) {
      this.etaMs = etaMs;
    }
  }

  /** Grants the first `count` waiting calls in arrival order; with no count, all of them, and opens the gate. */
  release(count = Infinity): void {
    this.line.splice(0, count).forEach((w) => w.grant());
    if (count === Infinity) {
      this.open = true;
    }
  }

  /** How many calls wait. */
  get held(): number {
    return this.line.length;
  }

  acquire(quota: Keyed, tps: number, options: AcquireOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const call: GateCall = { quota: quota.id, tps, priority: () => read(options.priority ?? 'interactive') };
    this.calls.push(call);
    let grantedAtMs: number | undefined;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.line.indexOf(waiting);
        if (index >= 0) {
          this.line.splice(index, 1);
        }
        grantedAtMs = Date.now();
        reject(options.signal!.reason);
      };
      const waiting: Waiting = {
        call,
        grant: () => {
          options.signal?.removeEventListener('abort', onAbort);
          call.grantedAs = call.priority();
          grantedAtMs = Date.now();
          resolve();
        },
      };
      if (this.open) {
        waiting.grant();
      } else {
        options.signal?.addEventListener('abort', onAbort, { once: true });
        this.line.push(waiting);
      }
      options.onQueued?.({ etaMs: () => grantedAtMs ?? this.etaMs() });
    });
  }

  backOff(quota: Keyed, ms: number): void {
    this.backOffs.push({ quota: quota.id, ms });
  }
}
