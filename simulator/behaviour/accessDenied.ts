// The `accessDenied` fault: answers a call as AWS does when no IAM policy allows it. CloudTrail
// (awsJson1_1) answers 400 AccessDeniedException; STS (awsQuery) answers 403 AccessDenied. The
// message names the caller, the IAM action AWS checked and the resource, in AWS's wording.
import { ApiError } from '../protocol/errors';
import type { Caller } from '../protocol/caller';

/** The IAM action AWS authorises each operation with; ListInsightsMetricData needs cloudtrail:LookupEvents. */
export const IAM_ACTIONS: Readonly<Record<string, string>> = {
  ListInsightsMetricData: 'cloudtrail:LookupEvents',
  LookupEvents: 'cloudtrail:LookupEvents',
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetInsightSelectors: 'cloudtrail:GetInsightSelectors',
  AssumeRole: 'sts:AssumeRole',
};

/** GetCallerIdentity needs no permission in AWS, so it is never denied. */
export function canBeDenied(operation: string): boolean {
  return Object.hasOwn(IAM_ACTIONS, operation);
}

/** What the request is about, as far as the denial message needs it. */
export interface DeniedRequest {
  /** The awsJson body (CloudTrail) — only TrailName is read. */
  body?: Buffer;
  /** The awsQuery parameters (STS) — only RoleArn is read. */
  params?: URLSearchParams;
}

function trailNameOf(body: Buffer | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body?.toString('utf8') || '{}');
    const name = (parsed as { TrailName?: unknown } | null)?.TrailName;
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}

/** The resource AWS names: the trail for GetInsightSelectors, the role for AssumeRole, else `*`
 *  (LookupEvents has no resource type; we list DescribeTrails' account-wide call as `*` too). */
function resourceOf(operation: string, caller: Caller, request: DeniedRequest): string {
  if (operation === 'AssumeRole') {
    return request.params?.get('RoleArn') || '*';
  }
  if (operation === 'GetInsightSelectors') {
    const name = trailNameOf(request.body);
    if (name) {
      return name.startsWith('arn:') ? name : `arn:aws:cloudtrail:${caller.region}:${caller.accountId}:trail/${name}`;
    }
  }
  return '*';
}

/** AssumeRole refused by the role's trust policy (e.g. a missing or wrong external id): AWS names
 *  no policy in this message, only the caller, the action and the role. */
export function trustPolicyDenied(caller: Caller, roleArn: string): ApiError {
  const message = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
  return new ApiError('AccessDeniedException', message, 400, '', 'AccessDenied', 403);
}

export function accessDenied(operation: string, caller: Caller, request: DeniedRequest): ApiError {
  const action = IAM_ACTIONS[operation] ?? `cloudtrail:${operation}`;
  const message =
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resourceOf(operation, caller, request)} ` +
    `because no identity-based policy allows the ${action} action`;
  return new ApiError('AccessDeniedException', message, 400, '', 'AccessDenied', 403);
}
