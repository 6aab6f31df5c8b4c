/** Short human durations for notices and hints ("30 days", "6 hours", "5 minutes"). */
import { DAY_MS, HOUR_MS, MINUTE_MS } from './retention';

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= DAY_MS && abs % DAY_MS < HOUR_MS) {
    return plural(Math.round(abs / DAY_MS), 'day');
  }
  if (abs >= 2 * DAY_MS) {
    return plural(Math.round(abs / DAY_MS), 'day');
  }
  if (abs >= HOUR_MS) {
    return plural(Math.round(abs / HOUR_MS), 'hour');
  }
  if (abs >= MINUTE_MS) {
    return plural(Math.round(abs / MINUTE_MS), 'minute');
  }
  return plural(Math.round(abs / 1000), 'second');
}

/** "60 s" style, as the API names periods. */
export function periodLabel(seconds: number): string {
  return `${seconds} s`;
}

/** ISO date-time without milliseconds, in UTC, for notices. */
export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}
