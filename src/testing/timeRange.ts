/** Time ranges for editor tests and the browser test page, as Grafana's time picker hands them over. */
import { dateTime, type TimeRange } from '@grafana/data';

import { DAY_MS } from '../shared/retention';

/** "Last N days", ending now. */
export function lastDays(days: number): TimeRange {
  const now = Date.now();
  return { from: dateTime(now - days * DAY_MS), to: dateTime(now), raw: { from: `now-${days}d`, to: 'now' } };
}
