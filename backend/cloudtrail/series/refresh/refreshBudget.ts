/**
 * What the background refresher may spend on one account + region: at most `perMinute` calls in
 * ANY 60 s (a sliding minute: a refilling bucket would allow a minute's burst on top of a
 * minute's rate, which is how the first refresher overspent its share), and nothing while paused
 * after CloudTrail throttled a refresh — other tools may share the account's quota: 30 s, doubling
 * while throttles continue, up to 10 minutes; one unthrottled refresh resets the pause.
 */
export const BUDGET_WINDOW_MS = 60_000;
export const FIRST_BACKOFF_MS = 30_000;
export const MAX_BACKOFF_MS = 10 * 60_000;

export class RefreshBudget {
  /** When each call of the last minute was counted, oldest first. */
  private readonly spent: number[] = [];
  private pausedUntilMs = 0;
  private backoffMs = 0;

  constructor(private perMinute: number) {}

  /** Changes the bound (the share of the quota this replica may use changed). */
  setPerMinute(perMinute: number): void {
    this.perMinute = perMinute;
  }

  /** Calls counted in the 60 s before `nowMs`. */
  spentInLastMinute(nowMs: number): number {
    while (this.spent.length && this.spent[0] <= nowMs - BUDGET_WINDOW_MS) {
      this.spent.shift();
    }
    return this.spent.length;
  }

  /** True when one more call at `nowMs` keeps every minute within the bound (and no pause holds). */
  allows(nowMs: number): boolean {
    return nowMs >= this.pausedUntilMs && this.spentInLastMinute(nowMs) + 1 <= this.perMinute;
  }

  /**
   * Counts `calls` sent by a refresh that ended at `nowMs` (counted when it ended, so a call that
   * waited in the quota's line stays in the window at least 60 s after it was sent) and applies
   * its outcome: the pause in ms when CloudTrail throttled it, else 0.
   */
  record(calls: number, throttled: boolean, nowMs: number): number {
    for (let i = 0; i < calls; i++) {
      this.spent.push(nowMs);
    }
    if (!throttled) {
      this.backoffMs = 0;
      return 0;
    }
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : FIRST_BACKOFF_MS);
    this.pausedUntilMs = nowMs + this.backoffMs;
    return this.backoffMs;
  }
}
