// The CloudTrail operations the simulator implements, by X-Amz-Target operation name.
import type { CloudTrailOperation } from '../protocol/operationNames';
import type { OperationHandler } from './context';
import { listInsightsData } from './listInsightsData';
import { listInsightsMetricData } from './listInsightsMetricData';
import { lookupEvents } from './lookupEvents';
import { describeTrails, getInsightSelectors } from './trails';

/** One handler for each name in CLOUDTRAIL_OPERATION_NAMES (checked by `satisfies`). */
export const CLOUDTRAIL_OPERATIONS: Readonly<Record<string, OperationHandler>> = {
  ListInsightsMetricData: listInsightsMetricData,
  LookupEvents: lookupEvents,
  DescribeTrails: describeTrails,
  GetInsightSelectors: getInsightSelectors,
  ListInsightsData: listInsightsData,
} satisfies Record<CloudTrailOperation, OperationHandler>;

/** Both spellings of the target prefix: the JS SDK's and botocore's. */
export const TARGET_PREFIXES = ['CloudTrail_20131101.', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.'];

/** The operation name a target header names, or undefined if it is not one of ours. */
export function operationFromTarget(target: string | undefined): string | undefined {
  if (!target) {
    return undefined;
  }
  for (const prefix of TARGET_PREFIXES) {
    if (target.startsWith(prefix)) {
      const name = target.slice(prefix.length);
      return Object.hasOwn(CLOUDTRAIL_OPERATIONS, name) ? name : undefined;
    }
  }
  return undefined;
}
