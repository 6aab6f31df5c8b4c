// The operation names the simulator answers, kept apart from their implementations: CloudTrail's
// (awsJson1_1, named by X-Amz-Target) and STS's (awsQuery, named by Action). Faults check their
// `operations` lists against these names without importing the operations themselves.

export const CLOUDTRAIL_OPERATION_NAMES = [
  'ListInsightsMetricData',
  'LookupEvents',
  'DescribeTrails',
  'GetInsightSelectors',
  'ListInsightsData',
] as const;
export type CloudTrailOperation = (typeof CLOUDTRAIL_OPERATION_NAMES)[number];

export const STS_OPERATIONS: readonly string[] = ['AssumeRole', 'GetCallerIdentity'];
