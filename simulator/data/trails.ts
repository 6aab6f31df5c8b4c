// The trails and event data stores an account sees from a region, and which one a name or ARN names.
// Every account has, in every region, a `management-events` trail (Insights on management events) and a
// `data-events` trail logging S3, Lambda and DynamoDB data events (Insights on both categories). The
// management account of an organization owns `organization-trail`, a multi-region organization trail
// homed in us-east-1: other regions and member accounts see it as a shadow trail.
import { guidFor, hashString } from './hash';
import type { EventDataStoreInfo, InsightSelectorInfo, SimulatorOrganization, TrailInfo } from '../types';

export const TRAIL_NAME = 'management-events';
export const DATA_TRAIL_NAME = 'data-events';
export const ORGANIZATION_TRAIL_NAME = 'organization-trail';
export const ORGANIZATION_HOME_REGION = 'us-east-1';
export const DATA_EVENT_SOURCES = ['s3.amazonaws.com', 'lambda.amazonaws.com', 'dynamodb.amazonaws.com'];

export function trailArn(region: string, accountId: string, name = TRAIL_NAME): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

const BOTH_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'] as const;
const selectors = (categories: InsightSelectorInfo['eventCategories']): InsightSelectorInfo[] =>
  BOTH_TYPES.map((insightType) => ({ insightType, eventCategories: [...categories] }));

/** The account that owns the organization trail an account sees: its organization's management account,
 *  or the account itself when it is in no configured organization. */
export function managementAccountOf(accountId: string, organization?: SimulatorOrganization): string {
  if (!organization) {
    return accountId;
  }
  const members = [...(organization.memberAccountIds ?? []), ...(organization.delegatedAdministratorAccountIds ?? [])];
  return members.includes(accountId) ? organization.managementAccountId : accountId;
}

/** Whether an account may read an organization trail's Insights (ListInsightsData): only the management
 *  account and delegated administrators. Any account may read the Insights of a trail that is not one. */
export function mayReadInsightsOf(trail: TrailInfo, accountId: string, organization?: SimulatorOrganization): boolean {
  return (
    !trail.isOrganizationTrail ||
    trail.accountId === accountId ||
    (organization?.delegatedAdministratorAccountIds ?? []).includes(accountId)
  );
}

/** The trails an account sees from a region, home trails first (as DescribeTrails lists them). */
export function trailsSeenBy(accountId: string, region: string, organization?: SimulatorOrganization): TrailInfo[] {
  const own = (name: string, rest: Partial<TrailInfo>): TrailInfo => ({
    name,
    trailArn: trailArn(region, accountId, name),
    accountId,
    homeRegion: region,
    isMultiRegionTrail: false,
    isOrganizationTrail: false,
    shadow: false,
    dataEventSources: [],
    insightSelectors: [],
    ...rest,
  });
  const owner = managementAccountOf(accountId, organization);
  const organizationTrail: TrailInfo = {
    name: ORGANIZATION_TRAIL_NAME,
    trailArn: trailArn(ORGANIZATION_HOME_REGION, owner, ORGANIZATION_TRAIL_NAME),
    accountId: owner,
    homeRegion: ORGANIZATION_HOME_REGION,
    isMultiRegionTrail: true,
    isOrganizationTrail: true,
    shadow: owner !== accountId || region !== ORGANIZATION_HOME_REGION,
    dataEventSources: [],
    insightSelectors: [{ insightType: 'ApiErrorRateInsight', eventCategories: ['Management'] }],
  };
  const trails = [
    // Each region has a management-events trail homed there (a simplification kept from the first world).
    own(TRAIL_NAME, { isMultiRegionTrail: true, insightSelectors: selectors(['Management']) }),
    own(DATA_TRAIL_NAME, {
      dataEventSources: [...DATA_EVENT_SOURCES],
      insightSelectors: selectors(['Management', 'Data']),
    }),
    organizationTrail,
  ];
  return [...trails.filter((t) => !t.shadow), ...trails.filter((t) => t.shadow)];
}

/** The trail a name or ARN names for this account in this region: a name names only a trail homed in this
 *  region and owned by the account; an ARN names any trail the account sees, shadows included. */
export function findTrail(
  nameOrArn: string,
  accountId: string,
  region: string,
  organization?: SimulatorOrganization
): TrailInfo | undefined {
  return trailsSeenBy(accountId, region, organization).find((t) =>
    nameOrArn.startsWith('arn:')
      ? t.trailArn === nameOrArn
      : !t.shadow && t.accountId === accountId && t.name === nameOrArn
  );
}

/** One CloudTrail Lake event data store with Insights on management events, and the store receiving them. */
export function eventDataStoresOf(accountId: string, region: string): EventDataStoreInfo[] {
  const key = hashString(`${accountId}|${region}|eventdatastore`);
  const arn = (label: string) => `arn:aws:cloudtrail:${region}:${accountId}:eventdatastore/${guidFor(key, label)}`;
  return [
    {
      eventDataStoreArn: arn('source'),
      insightsDestination: arn('insights'),
      insightSelectors: selectors(['Management']),
    },
    { eventDataStoreArn: arn('insights'), insightSelectors: [] },
  ];
}

/** The event data store an ARN or the ID at its end names. */
export function findEventDataStore(arnOrId: string, accountId: string, region: string): EventDataStoreInfo | undefined {
  return eventDataStoresOf(accountId, region).find(
    (s) => s.eventDataStoreArn === arnOrId || s.eventDataStoreArn.endsWith(`/${arnOrId}`)
  );
}
