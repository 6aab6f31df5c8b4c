/**
 * When our work must end for a call with a deadline. We keep time back so our own clear error
 * reaches Grafana before the protocol layer gives up on the call (it aborts the call's signal up
 * to 500 ms / 10% before the deadline).
 */
export function responseReserveMs(remainingMs: number): number {
  return Math.min(1_000, Math.max(0, remainingMs) * 0.15);
}

/** The epoch ms our work ends: the call's deadline less the reserve, and at most `capMs` from now. */
export function workDeadline(callDeadlineMs: number | undefined, capMs: number, nowMs = Date.now()): number {
  if (callDeadlineMs === undefined) {
    return nowMs + capMs;
  }
  return Math.min(nowMs + capMs, callDeadlineMs - responseReserveMs(callDeadlineMs - nowMs));
}
