/**
 * One call per series across replicas. Before fetching, a replica reads what the shared store
 * holds (another replica may have fetched it a moment ago); then it takes the series' fetch lock
 * and fetches, or — while another replica holds the lock — waits for that replica's result to
 * appear in the store, and takes over only if the holder finished without covering what this
 * replica needs, or died (its lock then expires). When Redis becomes unusable while it waits
 * (a failover), it waits on for up to the lock's lifetime for that replica's result before it
 * makes the same call itself.
 */
import { abortableSleep } from '../core/sleep';
import { fetchLockWaits } from './metrics';
import type { FetchLock, Keyed } from './types';

/** A waiter looks at the lock at least this often (its first looks come faster: the lock's own interval). */
export const MAX_POLL_MS = 400;

export interface FetchOnceSteps<T> {
  /** Reads the shared store into the local cache; true when the local cache now answers. */
  served(): Promise<boolean>;
  /** The call itself, made while holding the lock (it writes its result to the store). */
  fetch(): Promise<T>;
  signal?: AbortSignal;
  /** Epoch ms; waiting for another replica ends with `onTimeout()`'s error then. */
  deadlineMs: () => number;
  onTimeout(): Error;
  now?: () => number;
}

export type FetchOnceResult<T> = { served: true } | { served: false; value: T };

export async function fetchOnce<T>(
  locks: FetchLock,
  key: Keyed,
  steps: FetchOnceSteps<T>
): Promise<FetchOnceResult<T>> {
  const now = steps.now ?? Date.now;
  if (await steps.served()) {
    return { served: true };
  }
  // Set when Redis became unusable while this replica waited for another's fetch: how long it waits on.
  let graceEnd: number | undefined;
  let polls = 0;
  for (let waited = false; ;) {
    const attempt = await locks.tryAcquire(key);
    let retryInMs: number;
    if (attempt.acquired) {
      const outage = waited ? attempt.outage : undefined;
      if (outage) {
        // The replica we waited for most likely still fetches: wait through a short outage (a
        // failover) for its result rather than make the same call, but not past half the time left.
        const since = now();
        graceEnd ??= since + Math.min(outage.graceMs, Math.max(0, (steps.deadlineMs() - since) / 2));
      }
      if (!outage || now() >= graceEnd!) {
        try {
          // The holder we waited for published its result before letting go (or died: then fetch).
          // Read again even without a wait: another replica may have published and let go between
          // the first read and this lock (a busy replica's two commands can be a while apart).
          if (await steps.served()) {
            return { served: true };
          }
          return { served: false, value: await steps.fetch() };
        } finally {
          await attempt.handle.release();
        }
      }
      retryInMs = outage.retryInMs;
    } else {
      graceEnd = undefined;
      retryInMs = attempt.retryInMs;
    }
    if (!waited) {
      fetchLockWaits.inc();
      waited = true;
    }
    const left = steps.deadlineMs() - now();
    if (left <= 0) {
      throw steps.onTimeout();
    }
    // Only the lock is polled (cheap); the store is read once the holder let go of it. The longer
    // the wait (a holder far back in the quota line), the less often: at most every MAX_POLL_MS.
    await abortableSleep(Math.min(left, MAX_POLL_MS, retryInMs * 1.5 ** polls++), steps.signal);
  }
}
