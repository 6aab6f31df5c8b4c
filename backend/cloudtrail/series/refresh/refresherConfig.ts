/**
 * The background refresher's knobs, read from the Grafana server's environment like the other
 * CLOUDTRAIL_* settings:
 * - CLOUDTRAIL_REFRESH_SHARE: percent of each ListInsightsMetricData quota it may spend (default 50; 0 = off).
 * - CLOUDTRAIL_REFRESH_WINDOW_MS: a series nobody asked for in this long is no longer refreshed (default 2 h).
 * - CLOUDTRAIL_REFRESH_MAX_SERIES: series tracked per account + region, least recently asked dropped first
 *   (default 2,000).
 */
export interface RefresherConfig {
  /** Fraction of the quota, 0..1; 0 turns the refresher off. */
  share: number;
  windowMs: number;
  maxSeriesPerScope: number;
}

/**
 * Why 50 %: a series stays fresh for 60 s whatever its Period (the cache's freshness window), so
 * keeping it warm costs ~1.1 calls a minute (renewed every ~55 s) and N series need ~1.1 N of the
 * 60 calls a minute one account + region gets. 50 % (30 calls/min) keeps 27 series warm — a
 * 20-series dashboard plus a few alert rules; 30 % (18) would not keep even the dashboard. The
 * other half stays free for other tools on the account, and the refresher never costs our own
 * dashboard and alert calls more than the one slot in flight (they always go first). It spends
 * only on what was asked for in the window, and backs off when CloudTrail throttles.
 */
export const DEFAULT_REFRESH_SHARE = 0.5;
export const DEFAULT_REFRESH_WINDOW_MS = 2 * 60 * 60 * 1000;
export const DEFAULT_REFRESH_MAX_SERIES = 2_000;

const number = (text: string | undefined): number | undefined => {
  const n = Number(text);
  return text?.trim() && Number.isFinite(n) && n >= 0 ? n : undefined;
};

export function refresherConfig(env: Readonly<Record<string, string | undefined>>): RefresherConfig {
  const percent = number(env.CLOUDTRAIL_REFRESH_SHARE);
  return {
    share: percent === undefined ? DEFAULT_REFRESH_SHARE : Math.min(100, percent) / 100,
    windowMs: number(env.CLOUDTRAIL_REFRESH_WINDOW_MS) || DEFAULT_REFRESH_WINDOW_MS,
    maxSeriesPerScope: Math.round(number(env.CLOUDTRAIL_REFRESH_MAX_SERIES) || DEFAULT_REFRESH_MAX_SERIES),
  };
}
