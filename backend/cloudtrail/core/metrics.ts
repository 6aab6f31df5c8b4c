/**
 * The CloudTrail layer's Prometheus metrics, registered on the process registry that
 * Diagnostics/CollectMetrics exposes.
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../../sdk/metrics';

const registers = [metricsRegistry];

export const apiCalls = new Counter({
  name: 'cloudtrail_insights_api_calls_total',
  help: 'CloudTrail/STS API calls sent, by operation and outcome (ok, throttled, error).',
  labelNames: ['operation', 'outcome'] as const,
  registers,
});

export const throttles = new Counter({
  name: 'cloudtrail_insights_throttled_total',
  help: 'API calls CloudTrail answered with a throttling error.',
  labelNames: ['operation'] as const,
  registers,
});

export const retries = new Counter({
  name: 'cloudtrail_insights_retries_total',
  help: 'API calls retried, by operation and reason (throttle, transient, malformed).',
  labelNames: ['operation', 'reason'] as const,
  registers,
});

export const cacheLookups = new Counter({
  name: 'cloudtrail_insights_cache_lookups_total',
  help: 'Series cache lookups: hit (no call), partial (only the missing range fetched), miss.',
  labelNames: ['result'] as const,
  registers,
});

export const coalescedRequests = new Counter({
  name: 'cloudtrail_insights_coalesced_requests_total',
  help: 'Series requests that joined an identical in-flight fetch instead of calling AWS.',
  registers,
});

export const apiLatency = new Histogram({
  name: 'cloudtrail_insights_api_call_duration_seconds',
  help: 'Latency of single API calls (one attempt), by operation.',
  labelNames: ['operation'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const backgroundCalls = new Counter({
  name: 'cloudtrail_insights_background_calls_total',
  help: 'ListInsightsMetricData calls sent by the background refresher, by outcome (ok, throttled).',
  labelNames: ['outcome'] as const,
  registers,
});

/** Set by the refresher at each of its ticks (every second while it tracks series). */
export const refreshSeriesTracked = new Gauge({
  name: 'cloudtrail_insights_refresh_series_tracked',
  help: 'Series the background refresher keeps fresh (asked for within its window).',
  registers,
});

export const refreshLeasesHeld = new Gauge({
  name: 'cloudtrail_insights_refresh_leases_held',
  help: 'Account + regions this replica refreshes (with Redis: holds the refresh lease of; 0 on the others).',
  registers,
});

export const refreshLag = new Gauge({
  name: 'cloudtrail_insights_refresh_lag_seconds',
  help: 'How long the most overdue tracked series has waited for its background refresh.',
  registers,
});
