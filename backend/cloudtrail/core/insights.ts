/**
 * The Insights events side's data shapes: one Insight (Start/End paired), a listed account +
 * region's Insights, their top contributors, and how long a list stays fresh. Used by the
 * Insights layer and by the stores that keep lists for other replicas.
 */

/**
 * The top contributors CloudTrail names in an Insights event (`insightContext.attributions`):
 * per attribute (user identity ARN, user agent, error code) a list of values with their average
 * calls or errors per minute during the Insight. A value's share is its part of the Insight's
 * own average (CloudTrail lists only the top values, so shares may add up to less than 100%).
 */
export const ATTRIBUTES = ['userIdentityArn', 'userAgent', 'errorCode'] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export interface Contributor {
  value: string;
  /** 0..1 of the Insight's average. */
  share: number;
}

export type Attributions = Partial<Record<Attribute, Contributor[]>>;

export interface Insight {
  /** The sharedEventID joining Start and End. */
  id: string;
  /** The Start event's own eventID (the End's when no Start was listed). */
  eventId?: string;
  startMs: number;
  /** Undefined while the insight is still open. */
  endMs?: number;
  eventSource: string;
  eventName: string;
  insightType: string;
  errorCode?: string;
  baselineAverage?: number;
  insightAverage?: number;
  /** Top user identities, user agents and error codes (the End event's cover the whole Insight). */
  attributions?: Attributions;
}

export interface InsightList {
  insights: Insight[];
  fetchedAtMs: number;
  /** True when the page bound stopped the listing early. */
  truncated: boolean;
  /** LookupEvents pages read. */
  pages?: number;
}

/** How long a listed account + region's Insights are kept (in this process and for other replicas). */
export const DEFAULT_INSIGHT_TTL_MS = 5 * 60_000;

/** Whether `list` is recent enough for an ask that accepts data `maxAgeMs` old. */
export function freshEnough(list: InsightList, nowMs: number, maxAgeMs: number): boolean {
  return nowMs - list.fetchedAtMs <= maxAgeMs;
}
