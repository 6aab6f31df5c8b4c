/**
 * What one AWS call is made under: who calls and where (the quota's scope), the pacing that grants
 * its turns, and the caller's budget (cancellation, deadline, priority). The pacing is a required
 * argument, handed down from the plugin's wiring: no layer reaches for a process-wide gate.
 */
import type { AccountScope, Keyed } from './keys';

/**
 * Who goes first when calls wait for one CloudTrail quota (pacing/callPriority.ts has the rules):
 * alert evaluations, then dashboards and Explore (never starved), then background work.
 */
export type CallPriority = 'alert' | 'interactive' | 'background';

/** A waiting caller's place in line. */
export interface QueuedCall {
  /** When its turn is expected (epoch ms), given who waits now; once served or gone, when that was. */
  etaMs(): number;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Epoch ms (read again when it arrives: a joined call's deadline can grow); a later turn is refused. */
  deadlineMs?: number | (() => number);
  /** Read at every grant: a joined call's priority changes as callers join and leave. */
  priority?: CallPriority | (() => CallPriority);
  /** Told the caller's place in line once it is queued. */
  onQueued?: (call: QueuedCall) => void;
}

/** What paces calls: the in-process limiter, or the gate all replicas share through Redis. */
export interface QuotaGate {
  acquire(quota: Keyed, tps: number, options?: AcquireOptions): Promise<void>;
  /** After a throttled answer: keep everyone off this quota for `ms`. */
  backOff(quota: Keyed, ms: number): void;
}

/** The process's pacing: its gate and the calls per second of each operation's quota. */
export interface Pacing {
  readonly gate: QuotaGate;
  tps(operation: string): number;
}

/** Who calls and where (proven account + region: the quota's scope) and a printable endpoint for messages. */
export interface CallScope {
  account: AccountScope;
  endpointLabel: string;
  /**
   * The exact identity calls are made as, secret-free (a hash of its ARN, or of the credential
   * material where STS could not say): what is shared only among identical callers is keyed by it.
   */
  caller?: string;
}

export interface CallBudget {
  signal?: AbortSignal;
  /** Read before each attempt: a joined call's deadline can grow while it waits. */
  deadlineMs: () => number;
  /** Read at every quota grant (default interactive): a joined call's priority follows its callers. */
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
