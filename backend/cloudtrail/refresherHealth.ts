/**
 * The refresher's line in the health check details: whether it runs, what it may spend, and
 * what it tracks and spent, so an operator sees its cost where they test the data source.
 */
import type { CheckHealthResult } from '../sdk/types';
import type { Refresher } from './refresher';

export function refresherLine(refresher: Refresher): string {
  if (!refresher.enabled) {
    return 'background refresh: off (CLOUDTRAIL_REFRESH_SHARE=0)';
  }
  const { share, windowMs, maxSeriesPerScope } = refresher.options;
  return (
    `background refresh: on, at most ${Math.round(share * 100)}% of each ListInsightsMetricData quota ` +
    `(${refresher.callsPerMinute.toFixed(0)} calls/min per account and region) for series asked for in the last ` +
    `${Math.round(windowMs / 60_000)} min (at most ${maxSeriesPerScope} per account and region); ` +
    `${refresher.tracked} series tracked, ${refresher.calls} background calls so far, lag ${refresher.lagSeconds().toFixed(0)} s`
  );
}

export function withRefresherLine(result: CheckHealthResult, refresher: Refresher): CheckHealthResult {
  return { ...result, jsonDetails: { ...(result.jsonDetails ?? {}), refresh: refresherLine(refresher) } };
}
