// DescribeTrails and GetInsightSelectors: one multi-region trail per account ("management-events")
// whose Insights selectors are on unless the insightsDisabled fault is set. Used by health checks.
import { ApiError } from '../errors';
import { trailArn, TRAIL_NAME } from '../data/world';
import { checkTrailName, readString, type Input } from '../validation';
import type { OperationContext } from './context';

export function describeTrails(input: Input, ctx: OperationContext): Record<string, unknown> {
  const names = input.trailNameList;
  if (names !== undefined && names !== null && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) {
    throw new ApiError('InvalidParameterException', 'trailNameList must be a list of strings.');
  }
  const arn = trailArn(ctx.region, ctx.accountId);
  const wanted = (names as string[] | undefined) ?? [];
  const matches = wanted.length === 0 || wanted.some((n) => n === TRAIL_NAME || n === arn);
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
  const arn = trailArn(ctx.region, ctx.accountId);
  if (name === undefined) {
    throw new ApiError(
      'InvalidParameterCombinationException',
      'You must specify either a TrailName or an EventDataStore.'
    );
  }
  checkTrailName(name, (m) => new ApiError('InvalidTrailNameException', m));
  if (name !== TRAIL_NAME && name !== arn) {
    throw new ApiError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${ctx.accountId}`, 404);
  }
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
