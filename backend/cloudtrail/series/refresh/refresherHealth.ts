/**
 * The refresher's line in the health check details: whether it runs, what it may spend, and
 * what it tracks and spent, so an operator sees its cost where they test the data source.
 */
import type { CheckHealthResult } from '../../../sdk/types';
import type { Refresher } from './refresher';

export function refresherLine(refresher: Refresher): string {
  if (!refresher.enabled) {
    return 'background refresh: off (CLOUDTRAIL_REFRESH_SHARE=0)';
  }
  const { share, windowMs, maxSeriesPerScope } = refresher.options;
  const scopes = refresher.scopeCount;
  const held = refresher.leasesHeld;
  const who =
    scopes && held < scopes
      ? `; this replica refreshes ${held} of ${scopes} (the others: another replica's lease)`
      : '';
  return (
    `background refresh: on, at most ${Math.round(share * 100)}% of each ListInsightsMetricData quota ` +
    `(${refresher.callsPerMinute} calls/min per account and region, CLOUDTRAIL_REFRESH_SHARE=0 turns it off) for series asked for in the last ` +
    `${Math.round(windowMs / 60_000)} min (at most ${maxSeriesPerScope} per account and region); ` +
    `${refresher.tracked} series tracked in ${scopes} account/region(s)${who}, ${refresher.callsLastMinute()} background calls in the last minute, ` +
    `${refresher.calls} so far, lag ${refresher.lagSeconds().toFixed(0)} s`
  );
}

export function withRefresherLine(result: CheckHealthResult, refresher: Refresher): CheckHealthResult {
  return { ...result, jsonDetails: { ...(result.jsonDetails ?? {}), refresh: refresherLine(refresher) } };
}
