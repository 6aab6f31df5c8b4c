/**
 * The backend's resource routes (Grafana: /api/datasources/uid/<uid>/resources/<path>), shared so
 * the editors and the backend agree on paths, parameters and response shapes.
 */

/** Every list route answers a JSON array of options, ready for a Select. */
export interface ResourceOption {
  value: string;
  label: string;
  /** e.g. "3 Insights in the last 90 days" */
  description?: string;
}

/** Error body for 4xx/5xx resource answers. */
export interface ResourceError {
  error: string;
}

export const RESOURCE_PATHS = {
  /** GET → ResourceOption[] of AWS regions (default region first). */
  regions: 'regions',
  /**
   * GET ?region=&trailName= → event sources that had Insights in the last 90 days: on management
   * events (LookupEvents), or with `trailName` on that trail's data events (ListInsightsData).
   * The lists below take `trailName` the same way.
   */
  eventSources: 'event-sources',
  /** GET ?region=&trailName=&eventSource= → event names with Insights (optionally only for that source). */
  eventNames: 'event-names',
  /** GET ?region=&trailName=&eventSource=&eventName= → error codes seen in ApiErrorRateInsight events. */
  errorCodes: 'error-codes',
  /**
   * GET ?region= → the trails seen from that region (shadow trails of other regions included), valued
   * by ARN, named, and described by home region and the event categories and types with Insights.
   */
  trails: 'trails',
  /**
   * GET ?region=&trailName=&eventSource=&eventName=&insightType=&errorCode=&state=&value=&from=&to= →
   * the Insights open during [from, to] (epoch ms; default the last 90 days) that match the filters,
   * as options whose value is the `value` field (INSIGHT_VALUE_FIELDS, default eventName).
   */
  insights: 'insights',
} as const;

export type ResourcePath = (typeof RESOURCE_PATHS)[keyof typeof RESOURCE_PATHS];

/** Query-string parameters the list routes accept (all optional). */
export interface ResourceParams {
  region?: string;
  /** Data-event scope: the trail (name or ARN) whose Insights the list reads; empty for management events. */
  trailName?: string;
  eventSource?: string;
  eventName?: string;
}

/** What each option of the Insights list stands for: distinct event names, sources or error codes, or one Insight each. */
export const INSIGHT_VALUE_FIELDS = ['eventName', 'eventSource', 'errorCode', 'eventId'] as const;
export type InsightValueField = (typeof INSIGHT_VALUE_FIELDS)[number];

/** The Insights list's parameters: the events query's filters, the options' value, the time range. */
export interface InsightListParams extends ResourceParams {
  insightType?: string;
  errorCode?: string;
  state?: string;
  value?: string;
  /** Epoch milliseconds. */
  from?: string;
  to?: string;
}
