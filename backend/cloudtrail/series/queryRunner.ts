/**
 * Runs one metrics query: migrate → validate → plan → series (cache/coalesced fetch) → frame.
 * Every failure becomes that query's error only; the other queries of the request still answer.
 */
import { QueryError, type DataQuery } from '../../sdk/types';
import type { Notice } from '../../sdk/frame';
import { migrateQuery } from '../../../src/shared/migrate';
import { formatIssues, validateQuery } from '../../../src/shared/validation';
import { planPeriod } from '../../../src/shared/periodPlanner';
import { displayName, seriesLabels } from '../../../src/shared/labels';
import { fillGrid } from '../../../src/shared/sortedSeries';
import {
  isDataEventScope,
  queryRegion,
  type CloudTrailInsightsQuery,
  type MetricsQueryFields,
} from '../../../src/shared/queryModel';
import type { ClientPool } from '../aws/clients';
import { eventHistoryUrl, insightsUrl, trailUrl } from '../aws/consoleLinks';
import { seriesFrame } from './frames';
import { SeriesKey } from '../core/keys';
import { describeCall, type FetchStats } from './seriesFetcher';
import type { MetricParams, Range } from '../core/series';
import type { Answer } from './loadingNotice';
import { ANSWER_SOURCES } from './answerSource';
import type { QueryBudget, SeriesSource } from './seriesSource';
import type { Refresher } from './refresh/refresher';
import { STATUS, invalidRequest } from '../core/errors';

export interface MetricsQueryDeps {
  pool: ClientPool;
  series: SeriesSource;
  /** Told of every series a user asked for, to keep it fresh in the background. */
  refresher?: Pick<Refresher, 'note'>;
  now: () => number;
}

/**
 * Any query as the shared model sees it (migrated, queryType from the request when the JSON has
 * none), or a per-query validation error (plugin, 400).
 */
export function parseQuery(query: DataQuery): CloudTrailInsightsQuery {
  const json = query.json as Record<string, unknown>;
  const migrated = migrateQuery({
    ...json,
    // Grafana sends the type both in the DataQuery and in the JSON; the DataQuery's wins.
    ...(query.queryType ? { queryType: query.queryType } : {}),
    refId: query.refId,
  });
  const issues = validateQuery(migrated);
  if (issues.length) {
    throw invalidRequest(formatIssues(issues));
  }
  return migrated;
}

/** The part of `range` outside `missing` (which starts or ends the range, or covers it). */
function outside(range: Range, missing: Range): Range {
  return missing.startMs <= range.startMs
    ? { startMs: Math.max(range.startMs, missing.endMs), endMs: range.endMs }
    : { startMs: range.startMs, endMs: Math.min(range.endMs, missing.startMs) };
}

export async function runMetricsQuery(
  query: DataQuery,
  budget: QueryBudget,
  deps: MetricsQueryDeps,
  parsed: CloudTrailInsightsQuery = parseQuery(query)
): Promise<Answer> {
  // Validation has checked a metrics query's insight type is set.
  const model = parsed as CloudTrailInsightsQuery & MetricsQueryFields;
  const nowMs = deps.now();
  const planned = planPeriod({
    fromMs: query.timeRange.fromMs,
    toMs: query.timeRange.toMs,
    intervalMs: query.intervalMs,
    maxDataPoints: query.maxDataPoints,
    nowMs,
    period: model.period,
  });
  if (!planned.ok) {
    throw invalidRequest(planned.error);
  }
  const plan = planned.plan;
  // A data-event trail given by ARN is read in its own region unless the query names one.
  const region = deps.pool.region(queryRegion(model));
  const trail = isDataEventScope(model) ? model.trailName : undefined;
  const params: MetricParams = {
    EventSource: model.eventSource,
    EventName: model.eventName,
    InsightType: model.insightType,
    ...(model.insightType === 'ApiErrorRateInsight' ? { ErrorCode: model.errorCode } : {}),
    ...(trail ? { TrailName: trail } : {}),
    Period: plan.period,
    DataType: model.dataType,
  };
  const range = { startMs: plan.startTimeMs, endMs: plan.endTimeMs };
  const stats: FetchStats = { apiCalls: 0, retries: 0, pages: 0 };
  const scope = await deps.pool.scope(region, budget.signal);
  const request = {
    key: new SeriesKey(scope.account, params, scope.caller),
    client: deps.pool.cloudTrailClient(region),
    scope,
    params,
    period: plan.period,
    range,
    lifetime: deps.pool.lifetime,
  };
  const result = await deps.series.get(request, budget, stats);
  // Only series that answered are kept fresh: a failing one reports its error on the next request.
  deps.refresher?.note(request);

  // FillWithZeros promises a gap-free series: fill the ended buckets the API (or the cache) left
  // out. The bucket still in progress is not filled: a zero there would read as a sudden drop;
  // nor is a range still loading: its buckets are unknown, not zero.
  const known = result.loading ? outside(range, result.loading.missing) : range;
  const points =
    model.dataType === 'FillWithZeros'
      ? fillGrid(result, known.startMs, Math.min(known.endMs, result.completeUntilMs), plan.period * 1000)
      : result;

  const labels = seriesLabels(model, region);
  const notices: Notice[] = plan.notices.map((n) => ({ severity: n.severity, text: n.text }));
  // The call as sent; when the cache supplied the rest (or everything), say so.
  const noCall = ANSWER_SOURCES[result.source].noCall ?? ANSWER_SOURCES.cache.noCall;
  const executed = !result.fetchedRanges.length
    ? `${describeCall(params, range)} (${noCall}: no call made)`
    : result.fetchedRanges.map((r) => describeCall(params, r)).join('\n') +
      (result.source === 'partial' ? ' (other buckets from cache)' : '');
  const frame = seriesFrame({
    refId: query.refId,
    labels,
    displayName: displayName(model.legendFormat, labels, model.valueUnit),
    periodSeconds: plan.period,
    points,
    valueUnit: model.valueUnit,
    links: trail
      ? // Event history lists management events only: data events link to the Insights page and the trail.
        [
          { title: 'Insights in the CloudTrail console', url: insightsUrl(region), targetBlank: true },
          { title: 'The trail in the CloudTrail console', url: trailUrl(region, trail), targetBlank: true },
        ]
      : [
          {
            title: 'Event history in the CloudTrail console',
            url: eventHistoryUrl(region, {
              eventSource: model.eventSource,
              eventName: model.eventName,
              startMs: range.startMs,
              endMs: range.endMs,
            }),
            targetBlank: true,
          },
        ],
    executedQueryString: executed,
    notices,
    stats: [
      { displayName: 'API calls', value: stats.apiCalls },
      { displayName: 'Pages', value: stats.pages },
      { displayName: 'Retries', value: stats.retries },
      { displayName: 'Cache hits', value: ANSWER_SOURCES[result.source].cacheHit ? 1 : 0 },
    ],
    custom: {
      period: plan.period,
      periodAuto: plan.auto,
      startTime: new Date(range.startMs).toISOString(),
      endTime: new Date(range.endMs).toISOString(),
      source: result.source,
    },
  });
  return { response: { frames: [frame], status: STATUS.ok }, series: true, loading: result.loading };
}
