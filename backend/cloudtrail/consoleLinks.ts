/**
 * Links into the AWS CloudTrail console, in the region the data came from.
 *
 * Sources (checked with the search tool):
 * - The console lives at https://console.aws.amazon.com/cloudtrail/ (CloudTrail User Guide,
 *   "Viewing CloudTrail events in the CloudTrail console", view-cloudtrail-events-console), in
 *   China at console.amazonaws.cn and in GovCloud at console.amazonaws-us-gov.com (the
 *   partitions' own console domains); `<region>.console.aws.amazon.com` with `?region=` opens
 *   the chosen Region (AWS Management Console regional endpoints).
 * - "Event history" and "Insights" are the console pages the user guide names (event history:
 *   filter by event source / event name and a time range; Insights: the Insights events of the
 *   Region, view-insights-events-console). Their hash routes `#/events?EventSource=…&EventName=…`
 *   and `#/insights` are NOT written in AWS's documentation: they are the console's own routes as
 *   public code links them (e.g. `…/cloudtrail/home?region=ap-northeast-2#/events?EventName=ListBuckets`).
 *   The console ignores parameters it does not know, so a changed route degrades to the page.
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

export interface HistoryFilter {
  eventSource?: string;
  eventName?: string;
  startMs?: number;
  endMs?: number;
}

/** Event history filtered to an event source / name and a time range (the calls behind a series or an Insight). */
export function eventHistoryUrl(region: string, filter: HistoryFilter): string {
  const params = new URLSearchParams();
  if (filter.eventSource) {
    params.set('EventSource', filter.eventSource);
  }
  if (filter.eventName) {
    params.set('EventName', filter.eventName);
  }
  // Event history keeps 90 days; older bounds would only make the console refuse the range.
  if (filter.startMs !== undefined && filter.endMs !== undefined) {
    params.set('StartTime', new Date(Math.max(filter.startMs, filter.endMs - 90 * DAY_MS)).toISOString());
    params.set('EndTime', new Date(filter.endMs).toISOString());
  }
  const query = params.toString();
  return consoleUrl(region, query ? `events?${query}` : 'events');
}
