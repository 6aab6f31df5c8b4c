/**
 * Links into the AWS CloudTrail console, in the region the data came from.
 *
 * What AWS documents (read with the search tool, 2026-12-02):
 * - Regional console endpoints `https://<region-code>.console.aws.amazon.com`
 *   (AWS General Reference, "AWS Management Console endpoints and quotas",
 *   https://docs.aws.amazon.com/general/latest/gr/mgmt-console.html). China and GovCloud have
 *   their own console domains (console.amazonaws.cn, console.amazonaws-us-gov.com).
 * - The CloudTrail console's entry `https://console.aws.amazon.com/cloudtrail/home/` and its
 *   pages **Event history** and **Insights** (CloudTrail User Guide,
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events-console.html
 *   and .../view-insights-events-console.html).
 * - Event history filters on ONE attribute (event name, event source, …) plus a time range:
 *   "You can only apply one attribute filter and a time range filter. You cannot apply multiple
 *   attribute filters" (view-cloudtrail-events-console, "Filtering CloudTrail events"). So the
 *   link names one attribute: the event name when known — the attribute the console's own
 *   Insights details page filters its CloudTrail events tab by (view-insights-events-console,
 *   "Viewing Insights events details") — else the event source.
 * - The Insights page filters by event name, event source or event ID and a time range
 *   (view-insights-events-console, "Filtering Insights events").
 *
 * What AWS does NOT document: the console's hash routes and their parameters —
 * `#/events?EventName=…&StartTime=…&EndTime=…`, `#/events?EventSource=…`, `#/insights` — nor any
 * URL of one Insights event's details page, nor the `?region=` query parameter. Checked: the
 * CloudTrail User Guide (current pages and the archived awsdocs/aws-cloudtrail-user-guide
 * sources, which link only `https://console.aws.amazon.com/cloudtrail/home/`), the General
 * Reference's console endpoints page, and the Security Hub, GuardDuty, KMS, IAM and Control
 * Tower guides' sources (no CloudTrail console route in any). The forms used here are the ones
 * public code links to (e.g. `…/cloudtrail/home?region=ap-northeast-2#/events?EventName=ListBuckets`).
 * Only the origin and `/cloudtrail/home` are documented, so should the console change its
 * routes, a link still opens the CloudTrail console of the right region. The Insights link is the
 * region's Insights list (documented page), not one event's page (no documented address).
 */
const DAY_MS = 86_400_000;

/** The console origin of a region's partition. */
export function consoleOrigin(region: string): string {
  if (region.startsWith('cn-')) {
    return 'https://console.amazonaws.cn';
  }
  if (region.startsWith('us-gov-')) {
    return 'https://console.amazonaws-us-gov.com';
  }
  return `https://${region}.console.aws.amazon.com`;
}

function consoleUrl(region: string, route: string): string {
  return `${consoleOrigin(region)}/cloudtrail/home?region=${encodeURIComponent(region)}#/${route}`;
}

/** The region's Insights page (the Insights events list). */
export function insightsUrl(region: string): string {
  return consoleUrl(region, 'insights');
}

/**
 * A trail's page in the console (its settings, Insights selectors included). Data events are not in
 * Event history (it lists management events only), so data-event Insights link here and to the
 * Insights page, which lists Insights of trails logging data events too (CloudTrail User Guide,
 * view-insights-events: "The Insights page … only list Insights events if you've enabled Insights
 * on a trail that is logging management or data events"). The `#/trails/<ARN>` route is, like the
 * others, not documented; a trail given by name (no ARN) links to the trails list.
 */
export function trailUrl(region: string, trail: string): string {
  return consoleUrl(region, trail.startsWith('arn:') ? `trails/${encodeURIComponent(trail)}` : 'trails');
}

export interface HistoryFilter {
  eventSource?: string;
  eventName?: string;
  startMs?: number;
  endMs?: number;
}

/** Event history filtered to the event name (else the event source) and a time range: the calls behind a series or an Insight. */
export function eventHistoryUrl(region: string, filter: HistoryFilter): string {
  const params = new URLSearchParams();
  // One attribute only (event history cannot combine two): the event name is the narrower one.
  if (filter.eventName) {
    params.set('EventName', filter.eventName);
  } else if (filter.eventSource) {
    params.set('EventSource', filter.eventSource);
  }
  // Event history keeps 90 days; older bounds would only make the console refuse the range.
  if (filter.startMs !== undefined && filter.endMs !== undefined) {
    params.set('StartTime', new Date(Math.max(filter.startMs, filter.endMs - 90 * DAY_MS)).toISOString());
    params.set('EndTime', new Date(filter.endMs).toISOString());
  }
  const query = params.toString();
  return consoleUrl(region, query ? `events?${query}` : 'events');
}
