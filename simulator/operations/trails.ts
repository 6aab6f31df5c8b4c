// DescribeTrails and GetInsightSelectors over the trails of data/trails.ts (management-events, data-events,
// the organization trail and its shadows) and one event data store with Insights; Insights selectors are
// on unless the insightsDisabled fault is set. Also how a TrailName is resolved (malformed, not found, an
// organization trail read from a member account), which ListInsightsMetricData and ListInsightsData share.
import { ApiError, invalidParameter } from '../protocol/errors';
import { findEventDataStore, mayReadInsightsOf } from '../data/trails';
import {
  checkLength,
  checkPattern,
  checkTrailName,
  readString,
  RESOURCE_ARN_PATTERN,
  TRAIL_ARN_PATTERN,
  type Input,
} from '../protocol/validation';
import type { InsightSelectorInfo, TrailInfo } from '../types';
import type { OperationContext } from './context';

export const invalidTrailName = (message: string) => new ApiError('InvalidTrailNameException', message);
const arnInvalid = (message: string) => new ApiError('CloudTrailARNInvalidException', message);

/** The trail a well-formed TrailName (name or ARN) names; any other → TrailNotFoundException (404). A name
 *  names only a trail homed in the caller's region; a trail of another region must be given by its ARN. */
export function requireTrail(name: string, ctx: OperationContext): TrailInfo {
  const trail = ctx.world.findTrail(name, ctx.accountId, ctx.region);
  if (!trail) {
    throw new ApiError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${ctx.accountId}`, 404);
  }
  return trail;
}

/** On an organization trail, only the management account and delegated administrators may read Insights
 *  data (ListInsightsData, ListInsightsMetricData with TrailName). */
export function requireInsightsReadable(trail: TrailInfo, ctx: OperationContext, operation: string): void {
  if (!mayReadInsightsOf(trail, ctx.accountId, ctx.world.organization)) {
    throw new ApiError(
      'OperationNotPermittedException',
      `${operation} on organization trail ${trail.trailArn} is only permitted for the organization's management account or a delegated administrator account.`
    );
  }
}

function wireSelectors(selectors: InsightSelectorInfo[]) {
  return selectors.map((s) => ({ InsightType: s.insightType, EventCategories: [...s.eventCategories] }));
}

function trailNames(input: Input): string[] {
  const names = input.trailNameList;
  if (names === undefined || names === null) {
    return [];
  }
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw invalidParameter('trailNameList must be a list of strings.');
  }
  for (const name of names as string[]) {
    if (name.startsWith('arn:')) {
      if (!TRAIL_ARN_PATTERN.test(name)) {
        throw arnInvalid(`'${name}' is not a valid trail ARN: use arn:aws:cloudtrail:<region>:<account>:trail/<name>.`);
      }
    } else {
      checkTrailName(name, invalidTrailName);
    }
  }
  return names as string[];
}

function includeShadows(input: Input): boolean {
  const value = input.includeShadowTrails;
  if (value === undefined || value === null) {
    return true;
  }
  if (typeof value !== 'boolean') {
    throw invalidParameter('includeShadowTrails must be a boolean.');
  }
  return value;
}

export function describeTrails(input: Input, ctx: OperationContext): Record<string, unknown> {
  const wanted = trailNames(input);
  const shadows = includeShadows(input);
  const all = ctx.world.trails(ctx.accountId, ctx.region);
  // Names match the account's trails homed here; ARNs any trail it sees (a named shadow is listed).
  const listed =
    wanted.length === 0
      ? all.filter((t) => shadows || !t.shadow)
      : all.filter((t) =>
          wanted.some((n) => ctx.world.findTrail(n, ctx.accountId, ctx.region)?.trailArn === t.trailArn)
        );
  return {
    trailList: listed.map((t) => ({
      Name: t.name,
      S3BucketName: `aws-cloudtrail-logs-${t.accountId}-${t.name}`,
      IncludeGlobalServiceEvents: t.isMultiRegionTrail,
      IsMultiRegionTrail: t.isMultiRegionTrail,
      HomeRegion: t.homeRegion,
      TrailARN: t.trailArn,
      LogFileValidationEnabled: true,
      HasCustomEventSelectors: t.dataEventSources.length > 0,
      HasInsightSelectors: !ctx.faults.flags.insightsDisabled && t.insightSelectors.length > 0,
      IsOrganizationTrail: t.isOrganizationTrail,
    })),
  };
}

const notEnabled = (kind: 'trail' | 'event data store', arn: string) =>
  new ApiError(
    'InsightNotEnabledException',
    `${kind === 'trail' ? 'Trail' : 'Event data store'} ${arn} does not have Insights enabled. Edit the ${kind} settings to enable Insights, and then try the operation again.`
  );

export function getInsightSelectors(input: Input, ctx: OperationContext): Record<string, unknown> {
  const name = readString(input, 'TrailName');
  const store = readString(input, 'EventDataStore');
  if ((name === undefined) === (store === undefined)) {
    throw new ApiError(
      'InvalidParameterCombinationException',
      name === undefined
        ? 'You must specify either a TrailName or an EventDataStore.'
        : 'You cannot specify both a TrailName and an EventDataStore; specify one of them.'
    );
  }
  if (store !== undefined) {
    checkLength('EventDataStore', store, 3, 256);
    checkPattern('EventDataStore', store, RESOURCE_ARN_PATTERN);
    const found = findEventDataStore(store, ctx.accountId, ctx.region);
    if (!found) {
      throw new ApiError('EventDataStoreNotFoundException', `The specified event data store ${store} was not found.`);
    }
    if (ctx.faults.flags.insightsDisabled || !found.insightsDestination) {
      throw notEnabled('event data store', found.eventDataStoreArn);
    }
    return {
      EventDataStoreArn: found.eventDataStoreArn,
      InsightsDestination: found.insightsDestination,
      InsightSelectors: wireSelectors(found.insightSelectors),
    };
  }
  checkTrailName(name!, invalidTrailName);
  const trail = requireTrail(name!, ctx);
  if (ctx.faults.flags.insightsDisabled || trail.insightSelectors.length === 0) {
    throw notEnabled('trail', trail.trailArn);
  }
  return { TrailARN: trail.trailArn, InsightSelectors: wireSelectors(trail.insightSelectors) };
}
