/**
 * The trails a region's caller sees and what Insights each has turned on, for the health check and
 * the editor's trail picker: DescribeTrails (shadow trails of other regions included) and, per trail
 * reporting Insights selectors, GetInsightSelectors asked in the trail's home region (a shadow trail
 * is resolved there) by ARN, read per event category (`EventCategories`: Management, Data; absent in
 * older answers, which AWS documents as management events).
 */
import {
  DescribeTrailsCommand,
  GetInsightSelectorsCommand,
  ListInsightsDataCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { INSIGHT_TYPE_LABELS, isInsightType, type EventCategory } from '../../../src/shared/queryModel';
import type { ResourceOption } from '../../../src/shared/resources';
import { REGION_PATTERN } from '../../../src/shared/validation';
import { awsCall } from '../aws/awsCall';
import { AwsCallError } from '../aws/awsFailures';
import type { ClientPool } from '../aws/clients';
import type { CallBudget } from '../core/calls';
import { STATUS } from '../core/errors';
import { QueryError } from '../../sdk/types';

/** GetInsightSelectors is asked for at most this many trails. */
export const MAX_TRAILS_CHECKED = 10;

export interface InsightSelectorInfo {
  insightType: string;
  eventCategories: EventCategory[];
}

export interface TrailInsights {
  name: string;
  arn: string;
  homeRegion: string;
  /** Seen from another region than its home (a multi-region or organization trail). */
  shadow: boolean;
  organization: boolean;
  /** Empty when Insights is off (or the trail was not checked). */
  selectors: InsightSelectorInfo[];
}

export interface TrailsSeen {
  /** Every trail DescribeTrails listed. */
  trails: Trail[];
  /** Those checked for Insights (reporting selectors, at most MAX_TRAILS_CHECKED), with what is on. */
  checked: TrailInsights[];
}

const CATEGORIES: Record<string, EventCategory> = { Management: 'management', Data: 'data' };

/** The trail's Insights selectors, asked in its home region; none when Insights is off. */
async function selectorsOf(pool: ClientPool, home: string, trail: Trail, budget: CallBudget) {
  try {
    const answer = await awsCall(
      await pool.scope(home, budget.signal),
      'GetInsightSelectors',
      (signal) =>
        pool
          .cloudTrailClient(home)
          .send(new GetInsightSelectorsCommand({ TrailName: trail.TrailARN ?? trail.Name }), { abortSignal: signal }),
      budget,
      { pacing: pool.pacing }
    );
    return (answer.InsightSelectors ?? []).flatMap((s): InsightSelectorInfo[] => {
      if (!s.InsightType) {
        return [];
      }
      const categories = (s.EventCategories?.length ? s.EventCategories : ['Management'])
        .map((c) => CATEGORIES[c])
        .filter((c): c is EventCategory => c !== undefined);
      return [{ insightType: s.InsightType, eventCategories: categories }];
    });
  } catch (err) {
    if (err instanceof AwsCallError && err.awsName === 'InsightNotEnabledException') {
      return [];
    }
    throw err;
  }
}

/** DescribeTrails from `region`, then the Insights selectors of the trails that report some. */
export async function trailsSeenFrom(pool: ClientPool, region: string, budget: CallBudget): Promise<TrailsSeen> {
  const described = await awsCall(
    await pool.scope(region, budget.signal),
    'DescribeTrails',
    (signal) =>
      pool
        .cloudTrailClient(region)
        .send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: signal }),
    budget,
    { pacing: pool.pacing, maxAttempts: 3 }
  );
  const trails = described.trailList ?? [];
  // Trails that report no selectors are skipped; older answers without the flag are checked.
  const candidates = trails.filter((t) => t.HasInsightSelectors !== false).slice(0, MAX_TRAILS_CHECKED);
  const checked: TrailInsights[] = [];
  for (const trail of candidates) {
    // A multi-region trail seen from another region is a shadow: its home region answers for it.
    const home = trail.HomeRegion && REGION_PATTERN.test(trail.HomeRegion) ? trail.HomeRegion : region;
    checked.push({
      name: trail.Name ?? trail.TrailARN ?? '?',
      arn: trail.TrailARN ?? '',
      homeRegion: home,
      shadow: home !== region,
      organization: trail.IsOrganizationTrail === true,
      selectors: await selectorsOf(pool, home, trail, budget),
    });
  }
  return { trails, checked };
}

/** The insight types turned on for a category, in the API's names. */
export function typesFor(trail: Pick<TrailInsights, 'selectors'>, category: EventCategory): string[] {
  return trail.selectors.filter((s) => s.eventCategories.includes(category)).map((s) => s.insightType);
}

const CATEGORY_WORDS: Record<EventCategory, string> = { management: 'management', data: 'data' };

/**
 * "ApiCallRateInsight, ApiErrorRateInsight on management and data events" — types grouped by the
 * categories they watch — or with `readable` the types' labels ("API call rate, API error rate on …").
 */
export function describeSelectors(selectors: readonly InsightSelectorInfo[], readable = false): string {
  const groups = new Map<string, string[]>();
  for (const s of selectors) {
    const on = s.eventCategories.map((c) => CATEGORY_WORDS[c]).join(' and ');
    const name = readable && isInsightType(s.insightType) ? INSIGHT_TYPE_LABELS[s.insightType] : s.insightType;
    groups.set(on, [...(groups.get(on) ?? []), name]);
  }
  return [...groups].map(([on, types]) => `${types.join(', ')}${on ? ` on ${on} events` : ''}`).join(', ');
}

/** The trail picker's option: valued by ARN (names only reach the query's region), home region and Insights described. */
export function trailOption(trail: TrailInsights, region: string): ResourceOption {
  const kind = trail.organization ? 'organization trail' : 'multi-region trail';
  const where = trail.shadow
    ? `${trail.homeRegion} (${kind}, shadow in ${region})`
    : `${trail.homeRegion}${trail.organization ? ' (organization trail)' : ''}`;
  const insights = trail.selectors.length ? `Insights: ${describeSelectors(trail.selectors, true)}` : 'no Insights';
  return { value: trail.arn || trail.name, label: trail.name, description: `${where} · ${insights}` };
}

/** The picker's list: trails with data-event Insights first, in DescribeTrails' order otherwise. */
export function trailOptions(seen: TrailsSeen, region: string): ResourceOption[] {
  const checked = new Map(seen.checked.map((t) => [t.arn || t.name, t]));
  const all = seen.trails.map((t): TrailInsights => {
    const home = t.HomeRegion ?? region;
    return (
      checked.get(t.TrailARN ?? t.Name ?? '') ?? {
        name: t.Name ?? t.TrailARN ?? '?',
        arn: t.TrailARN ?? '',
        homeRegion: home,
        shadow: home !== region,
        organization: t.IsOrganizationTrail === true,
        selectors: [],
      }
    );
  });
  const data = all.filter((t) => typesFor(t, 'data').length > 0);
  return [...data, ...all.filter((t) => !data.includes(t))].map((t) => trailOption(t, region));
}

/**
 * Whether these credentials can read the data-event Insights of the first trail that has them
 * (ListInsightsData, one event): undefined when they can (or no trail has data-event Insights), else
 * a sentence for the health check. Management events do not depend on it, so it is a warning there.
 */
export async function dataInsightsProblem(
  pool: ClientPool,
  checked: readonly TrailInsights[],
  budget: CallBudget
): Promise<string | undefined> {
  const trail = checked.find((t) => t.arn && typesFor(t, 'data').length > 0);
  if (!trail) {
    return undefined;
  }
  try {
    await awsCall(
      await pool.scope(trail.homeRegion, budget.signal),
      'ListInsightsData',
      (signal) =>
        pool.cloudTrailClient(trail.homeRegion).send(
          new ListInsightsDataCommand({
            InsightSource: trail.arn,
            DataType: 'InsightsEvents',
            StartTime: new Date(Date.now() - 3_600_000),
            MaxResults: 1,
          }),
          { abortSignal: signal }
        ),
      budget,
      { pacing: pool.pacing, maxAttempts: 3 }
    );
    return undefined;
  } catch (err) {
    if (!(err instanceof QueryError)) {
      throw err;
    }
    return err.status === STATUS.notAllowed
      ? `but the data events scope (trail ${trail.name}) needs cloudtrail:ListInsightsData, which these credentials lack: grant it to read data-event Insights`
      : `but the data-event Insights of trail ${trail.name} could not be read: ${err.message}`;
  }
}
