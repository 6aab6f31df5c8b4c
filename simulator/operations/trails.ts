// DescribeTrails and GetInsightSelectors: one multi-region trail per account ("management-events")
// whose Insights selectors are on unless the insightsDisabled fault is set. Used by health checks.
// Also the TrailName answers (malformed, not found) that ListInsightsMetricData gives the same way.
import { ApiError, invalidParameter } from '../protocol/errors';
import { trailArn, TRAIL_NAME } from '../data/world';
import { checkTrailName, readString, type Input } from '../protocol/validation';
import type { OperationContext } from './context';

export const invalidTrailName = (message: string) => new ApiError('InvalidTrailNameException', message);

/** Whether a TrailName (the name or the ARN) names the account's one trail, whose ARN is `arn`. */
function namesTrail(name: string, arn: string): boolean {
  return name === TRAIL_NAME || name === arn;
}

/** The ARN of the trail a well-formed TrailName names; any other trail → TrailNotFoundException (404). */
export function requireTrail(name: string, ctx: OperationContext): string {
  const arn = trailArn(ctx.region, ctx.accountId);
  if (!namesTrail(name, arn)) {
    throw new ApiError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${ctx.accountId}`, 404);
  }
  return arn;
}

export function describeTrails(input: Input, ctx: OperationContext): Record<string, unknown> {
  const names = input.trailNameList;
  if (names !== undefined && names !== null && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) {
    throw invalidParameter('trailNameList must be a list of strings.');
  }
  const arn = trailArn(ctx.region, ctx.accountId);
  const wanted = (names as string[] | undefined) ?? [];
  const matches = wanted.length === 0 || wanted.some((n) => namesTrail(n, arn));
  const trail = {
    Name: TRAIL_NAME,
    S3BucketName: `aws-cloudtrail-logs-${ctx.accountId}-sim`,
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: true,
    HomeRegion: ctx.region,
    TrailARN: arn,
    LogFileValidationEnabled: true,
    HasCustomEventSelectors: false,
    HasInsightSelectors: !ctx.faults.flags.insightsDisabled,
    IsOrganizationTrail: false,
  };
  return { trailList: matches ? [trail] : [] };
}

export function getInsightSelectors(input: Input, ctx: OperationContext): Record<string, unknown> {
  const name = readString(input, 'TrailName');
  if (name === undefined) {
    throw new ApiError(
      'InvalidParameterCombinationException',
      'You must specify either a TrailName or an EventDataStore.'
    );
  }
  checkTrailName(name, invalidTrailName);
  const arn = requireTrail(name, ctx);
  if (ctx.faults.flags.insightsDisabled) {
    throw new ApiError(
      'InsightNotEnabledException',
      `Trail ${arn} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.`
    );
  }
  return {
    TrailARN: arn,
    InsightSelectors: [
      { InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] },
      { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] },
    ],
  };
}
