/**
 * Who goes first when calls wait for one CloudTrail quota (one account, region and operation).
 *
 * - `alert`: alert rule evaluations (Grafana's FromAlert header) take the next free slot ahead of
 *   everything else, so a dashboard burst cannot make a rule miss its deadline.
 * - `interactive`: dashboard and Explore queries. They are never starved: while one waits, at most
 *   ALERT_RUN alert calls go in a row, then the oldest interactive call gets a slot, so dashboards
 *   keep at least 1/(ALERT_RUN + 1) of the quota under any alert load.
 * - `background`: work nobody is waiting for (a fetch that outlived its queries, refreshes). It only
 *   takes slots no alert or interactive call wants.
 * Within a class, calls go in arrival order.
 */
import type { CallPriority } from '../core/calls';
/** Alert calls granted in a row while an interactive call waits, before that one gets a slot. */
export const ALERT_RUN = 4;

/** The queue's state that the rule reads: who waits (in arrival order) and the current alert run. */
export interface Line {
  priorities: readonly CallPriority[];
  /** Alert calls granted in a row while an interactive call was waiting. */
  alertsInARow: number;
}

/** The index of the caller served next (-1 for none) and the alert run after granting it. */
export function nextInLine({ priorities, alertsInARow }: Line): { index: number; alertsInARow: number } {
  const alert = priorities.indexOf('alert');
  const interactive = priorities.indexOf('interactive');
  if (alert >= 0 && (interactive < 0 || alertsInARow < ALERT_RUN)) {
    return { index: alert, alertsInARow: interactive < 0 ? 0 : alertsInARow + 1 };
  }
  return { index: interactive >= 0 ? interactive : priorities.indexOf('background'), alertsInARow: 0 };
}

/** How many of those waiting now are served before the caller at `index` (later arrivals aside). */
export function callsAhead({ priorities, alertsInARow }: Line, index: number): number {
  const mine = priorities[index];
  const before = (p: CallPriority) => priorities.slice(0, index).filter((q) => q === p).length;
  const all = (p: CallPriority) => priorities.filter((q) => q === p).length;
  if (mine === 'alert') {
    const alerts = before('alert');
    return alerts + Math.min(all('interactive'), Math.floor((alertsInARow + alerts) / ALERT_RUN));
  }
  if (mine === 'interactive') {
    const interactive = before('interactive');
    return interactive + Math.min(all('alert'), ALERT_RUN - alertsInARow + interactive * ALERT_RUN);
  }
  return all('alert') + all('interactive') + before('background');
}
