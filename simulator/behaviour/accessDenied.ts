// The `accessDenied` fault: answers a call as AWS does when no IAM policy allows it. CloudTrail
// (awsJson1_1) answers 400 AccessDeniedException; STS (awsQuery) answers 403 AccessDenied. The
// message names the caller, the IAM action AWS checked and the resource, in AWS's wording. The fault names
// operations; ListInsightsMetricData with a TrailName needs cloudtrail:ListInsightsData as well, so a
// fault naming ListInsightsData also refuses those calls.
import { ApiError } from '../protocol/errors';
import type { Caller } from '../protocol/caller';

/** The IAM action AWS authorises each operation with; ListInsightsMetricData needs cloudtrail:LookupEvents
 *  (and, with a TrailName, cloudtrail:ListInsightsData on that trail). */
export const IAM_ACTIONS: Readonly<Record<string, string>> = {
  ListInsightsMetricData: 'cloudtrail:LookupEvents',
  LookupEvents: 'cloudtrail:LookupEvents',
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetInsightSelectors: 'cloudtrail:GetInsightSelectors',
  ListInsightsData: 'cloudtrail:ListInsightsData',
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

/** A non-empty string member of the awsJson body, if the body parses. */
function bodyString(body: Buffer | undefined, member: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body?.toString('utf8') || '{}');
    const value = (parsed as Record<string, unknown> | null)?.[member];
    return typeof value === 'string' && value ? value : undefined;
  } catch {
    return undefined;
  }
}

const asArn = (name: string, caller: Caller, kind: 'trail' | 'eventdatastore') =>
  name.startsWith('arn:') ? name : `arn:aws:cloudtrail:${caller.region}:${caller.accountId}:${kind}/${name}`;

/** The resource AWS names: the trail (or event data store) for GetInsightSelectors and ListInsightsData
 *  (ListInsightsMetricData's TrailName when refused as cloudtrail:ListInsightsData), the role for
 *  AssumeRole, else `*` (LookupEvents has no resource type; we list DescribeTrails' account-wide call as `*` too). */
function resourceOf(operation: string, caller: Caller, request: DeniedRequest): string {
  if (operation === 'AssumeRole') {
    return request.params?.get('RoleArn') || '*';
  }
  if (operation === 'GetInsightSelectors' || operation === 'ListInsightsData') {
    const trail = bodyString(request.body, 'TrailName') ?? bodyString(request.body, 'InsightSource');
    if (trail) {
      return asArn(trail, caller, 'trail');
    }
    const store = bodyString(request.body, 'EventDataStore');
    if (store) {
      return asArn(store, caller, 'eventdatastore');
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

/** The refusal of a call the accessDenied fault covers, or undefined. `fires` asks the fault about an
 *  operation name (consuming a `count`); ListInsightsMetricData with a TrailName is asked about as itself
 *  (cloudtrail:LookupEvents) first, then as ListInsightsData (cloudtrail:ListInsightsData on the trail). */
export function refusal(
  operation: string,
  caller: Caller,
  request: DeniedRequest,
  fires: (operation: string) => boolean
): ApiError | undefined {
  if (!canBeDenied(operation)) {
    return undefined;
  }
  if (fires(operation)) {
    return accessDenied(operation, caller, request);
  }
  if (
    operation === 'ListInsightsMetricData' &&
    bodyString(request.body, 'TrailName') !== undefined &&
    fires('ListInsightsData')
  ) {
    return accessDenied('ListInsightsData', caller, request);
  }
  return undefined;
}

export function accessDenied(operation: string, caller: Caller, request: DeniedRequest): ApiError {
  const action = IAM_ACTIONS[operation] ?? `cloudtrail:${operation}`;
  const message =
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resourceOf(operation, caller, request)} ` +
    `because no identity-based policy allows the ${action} action`;
  return new ApiError('AccessDeniedException', message, 400, '', 'AccessDenied', 403);
}
