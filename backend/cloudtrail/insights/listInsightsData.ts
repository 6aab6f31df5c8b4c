/**
 * A trail's data-event Insights from ListInsightsData (LookupEvents lists management Insights only):
 * InsightSource = the trail's ARN, DataType InsightsEvents, the last 90 days, every page of 50 within
 * the operation's own 2 calls/s quota (pacing/quotas.ts), the records parsed and Start/End paired as
 * LookupEvents' are (insightEvents.ts): the same InsightList, cached, joined and shared across
 * replicas per trail (core/keys.ts InsightsListKey with a trail).
 *
 * The trail may be named by ARN (any trail the caller sees, the form the editor's picker writes) or by
 * name (a trail homed in the query's region, as AWS reads names). ListInsightsData takes only an ARN:
 * a name is turned into the ARN of that region and the proven account, or, where STS could not say
 * which account the credentials act as, looked up with DescribeTrails.
 */
import {
  DescribeTrailsCommand,
  ListInsightsDataCommand,
  type CloudTrailClient,
  type ListInsightsDataCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { MAX_RETENTION_MS } from '../../../src/shared/retention';
import { parseTrailArn } from '../../../src/shared/queryModel';
import { awsCall } from '../aws/awsCall';
import type { CallBudget, CallScope, Pacing } from '../core/calls';
import { invalidRequest } from '../core/errors';
import type { InsightList } from '../core/insights';
import { DEFAULT_LOOKUP_MAX_PAGES, listInsightPages } from './insightEvents';

export const LIST_INSIGHTS_DATA = 'ListInsightsData';
export const INSIGHTS_DATA_PAGE_SIZE = 50;

/** The partition of a region, as trail ARNs spell it. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) {
    return 'aws-cn';
  }
  return region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** The trail's ARN: as given, built from the proven account, or (account unknown) from DescribeTrails. */
export async function trailArnOf(
  client: CloudTrailClient,
  scope: CallScope,
  pacing: Pacing,
  trail: string,
  budget: CallBudget
): Promise<string> {
  if (parseTrailArn(trail)) {
    return trail;
  }
  const { principal, region } = scope.account;
  if (principal.kind === 'account' && /^\d{12}$/.test(principal.accountId)) {
    return `arn:${partitionOf(region)}:cloudtrail:${region}:${principal.accountId}:trail/${trail}`;
  }
  const described = await awsCall(
    scope,
    'DescribeTrails',
    (signal) =>
      client.send(new DescribeTrailsCommand({ trailNameList: [trail], includeShadowTrails: false }), {
        abortSignal: signal,
      }),
    budget,
    { pacing }
  );
  const arn = described.trailList?.find((t) => t.Name === trail)?.TrailARN;
  if (!arn) {
    throw invalidRequest(
      `There is no trail named "${trail}" in ${region}: a name names a trail homed in the query's region; choose the trail by its ARN for another region's trail.`
    );
  }
  return arn;
}

/** One page of the trail's data-event Insights, within the last 90 days. */
function listPage(
  client: CloudTrailClient,
  scope: CallScope,
  pacing: Pacing,
  input: { trailArn: string; nowMs: number; maxResults: number; token?: string },
  budget: CallBudget
): Promise<ListInsightsDataCommandOutput> {
  return awsCall(
    scope,
    LIST_INSIGHTS_DATA,
    (signal) =>
      client.send(
        new ListInsightsDataCommand({
          InsightSource: input.trailArn,
          DataType: 'InsightsEvents',
          StartTime: new Date(input.nowMs - MAX_RETENTION_MS),
          EndTime: new Date(input.nowMs),
          MaxResults: input.maxResults,
          NextToken: input.token,
        }),
        { abortSignal: signal }
      ),
    budget,
    { pacing }
  );
}

/** Every data-event Insight of `trail` in the last 90 days (at most `maxPages` pages of 50, newest first). */
export async function listTrailInsights(
  client: CloudTrailClient,
  scope: CallScope,
  pacing: Pacing,
  trail: string,
  nowMs: number,
  budget: CallBudget,
  maxPages = DEFAULT_LOOKUP_MAX_PAGES
): Promise<InsightList> {
  const trailArn = await trailArnOf(client, scope, pacing, trail, budget);
  return listInsightPages(
    (token) => listPage(client, scope, pacing, { trailArn, nowMs, maxResults: INSIGHTS_DATA_PAGE_SIZE, token }, budget),
    nowMs,
    maxPages
  );
}

/**
 * Proves that these credentials may call ListInsightsData on the trail (one event of the last hour)
 * before a list another data source or replica of the same account listed is shown to them: lists
 * are shared per account, the permission is per principal.
 */
export async function proveTrailInsightsAccess(
  client: CloudTrailClient,
  scope: CallScope,
  pacing: Pacing,
  trail: string,
  nowMs: number,
  budget: CallBudget
): Promise<void> {
  const trailArn = await trailArnOf(client, scope, pacing, trail, budget);
  await listPage(client, scope, pacing, { trailArn, nowMs, maxResults: 1 }, budget);
}
