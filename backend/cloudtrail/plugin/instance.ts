/**
 * The CloudTrail Insights data source instance: settings and auth policy per request, metrics
 * and annotation queries (each failing alone), health check and editor resources. The cache,
 * rate limiter and Insights list are process-wide, because AWS quotas are per account.
 */
import {
  HealthStatus,
  QueryError,
  type CallContext,
  type CallResourceRequest,
  type CheckHealthRequest,
  type CheckHealthResult,
  type DataQuery,
  type DataResponse,
  type DataSourceInstance,
  type InstanceFactory,
  type QueryDataRequest,
  type QueryDataResponse,
  type ResourceResponseSender,
} from '../../sdk/types';
import { logger } from '../../sdk/logger';
import { annotationFrame } from '../insights/annotations';
import { AwsCallError } from '../aws/awsFailures';
import { ClientPool } from '../aws/clients';
import { workDeadline } from '../core/deadline';
import type { Coordination } from '../coordination/types';
import { checkHealth, withCoordinationLine } from './health';
import { runEventsQuery } from '../insights/eventsQuery';
import { insightFilter } from '../insights/insightFilter';
import type { InsightCache } from '../insights/insightCache';
import { insightListReader } from '../insights/insightLists';
import { noteStillLoading, type Answer } from '../series/loadingNotice';
import { parseQuery, runMetricsQuery } from '../series/queryRunner';
import { OPERATION } from '../series/seriesFetcher';
import { isDataEventScope, queryRegion } from '../../../src/shared/queryModel';
import { handleResource, jsonResponse } from './resources';
import type { SeriesSource } from '../series/seriesSource';
import type { Refresher } from '../series/refresh/refresher';
import { withRefresherLine } from '../series/refresh/refresherHealth';
import { authNotAllowed, authPolicy, parseSettings } from '../aws/settings';
import { errorMessage } from '../../sdk/errorMessage';
import type { ProcessServices } from './wiring';
import { queryTypeMux } from './queryTypeMux';
import { STATUS, invalidRequest, stoppedMessage } from '../core/errors';

/** Used when Grafana sends no deadline with the call. */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;
/** Annotations and events queries show Insights lists at most this old. */
export const ANNOTATION_MAX_AGE_MS = 60_000;

/** Replacements of the process's services, for tests. */
export interface InstanceDeps {
  series?: SeriesSource;
  coordination?: Coordination;
  /** Keeps asked-for series fresh in the background; null for none. */
  refresher?: Refresher | null;
  insightCache?: InsightCache;
  now?: () => number;
}

export function isFromAlert(headers: Readonly<Record<string, string>>): boolean {
  return Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'fromalert' && v === 'true');
}

/** Who and what a log line is about: never secrets (the logger redacts by key as well). */
interface LogScope {
  uid?: string;
  refId?: string;
}

/** The one warn/error line an operator sees (at Grafana's default info level) for a failed query. */
function failed(error: unknown, scope: LogScope, aborted: boolean): DataResponse {
  if (error instanceof QueryError) {
    logger.warn('Query failed', {
      ...scope,
      operation: error instanceof AwsCallError ? error.operation : 'QueryData',
      status: error.status,
      errorSource: error.errorSource,
      message: error.message,
    });
    return { frames: [], error: error.message, status: error.status, errorSource: error.errorSource };
  }
  const message = aborted ? stoppedMessage('The query') : `Internal error: ${errorMessage(error)}`;
  logger.error('Query failed unexpectedly', { ...scope, operation: 'QueryData', status: STATUS.internal, message });
  return { frames: [], error: message, status: STATUS.internal, errorSource: 'plugin' };
}

export function makeCloudTrailInstanceFactory(services: ProcessServices, deps: InstanceDeps = {}): InstanceFactory {
  const series = deps.series ?? services.series;
  // A refresher belongs to one series source: the process's only refreshes the process's source.
  const refresher =
    deps.refresher === undefined ? (deps.series ? undefined : services.refresher) : (deps.refresher ?? undefined);
  const insightCache = deps.insightCache ?? services.insightCache;
  const now = deps.now ?? Date.now;
  const coordination = deps.coordination ?? services.coordination;
  const poolServices = { pacing: services.pacing, accounts: services.accounts, hostEnv: services.hostEnv };

  return (instanceSettings, pluginContext): DataSourceInstance => {
    const parsed = parseSettings(instanceSettings);
    const pool = parsed.ok
      ? new ClientPool(parsed.settings, authPolicy(pluginContext.grafanaConfig, services.hostEnv), poolServices)
      : undefined;

    /** The pool if settings are usable and allowed by this request's Grafana config. */
    const usablePool = (grafanaConfig: Readonly<Record<string, string>>): ClientPool => {
      if (!parsed.ok) {
        throw invalidRequest(`The data source settings are invalid: ${parsed.error}`);
      }
      const notAllowed = authNotAllowed(parsed.settings, authPolicy(grafanaConfig, services.hostEnv));
      if (notAllowed) {
        throw new QueryError(notAllowed, 'plugin', STATUS.notAllowed);
      }
      return pool!;
    };

    // Management events' Insights (LookupEvents) or a trail's data events' (ListInsightsData), cached per scope.
    const insightsOf = pool
      ? insightListReader(pool, { cache: insightCache, coordination, now, maxPages: services.lookupMaxPages })
      : undefined;

    const runOne = async (query: DataQuery, req: QueryDataRequest, ctx: CallContext): Promise<Answer> => {
      const p = usablePool(req.pluginContext.grafanaConfig);
      // Grafana's deadline (less our reserve) bounds the query; the default only applies without one.
      const deadlineMs = workDeadline(ctx.deadlineMs, ctx.deadlineMs ? Infinity : DEFAULT_QUERY_TIMEOUT_MS, now());
      const insightsBudget = { signal: ctx.signal, deadlineMs: () => deadlineMs };
      const dispatch = queryTypeMux<Answer>({
        metrics: (model) =>
          runMetricsQuery(
            query,
            { signal: ctx.signal, deadlineMs, priority: isFromAlert(req.headers) ? 'alert' : 'interactive' },
            { pool: p, series, refresher, now },
            model
          ),
        events: async (model) => {
          const region = p.region(queryRegion(model));
          const trail = isDataEventScope(model) ? model.trailName : undefined;
          const list = await insightsOf!(region, insightsBudget, { maxAgeMs: ANNOTATION_MAX_AGE_MS, trail });
          return {
            response: runEventsQuery({
              refId: query.refId,
              model,
              region,
              range: query.timeRange,
              list,
              nowMs: now(),
              trail,
            }),
          };
        },
        annotations: async (model) => {
          const region = p.region(queryRegion(model));
          const trail = isDataEventScope(model) ? model.trailName : undefined;
          const list = await insightsOf!(region, insightsBudget, { maxAgeMs: ANNOTATION_MAX_AGE_MS, trail });
          const frame = annotationFrame(
            query.refId,
            list.insights,
            query.timeRange,
            insightFilter(model),
            now(),
            region,
            trail
          );
          return { response: { frames: [frame], status: STATUS.ok } };
        },
      });
      return dispatch(parseQuery(query));
    };

    return {
      async queryData(req: QueryDataRequest, ctx: CallContext): Promise<QueryDataResponse> {
        const fromAlert = isFromAlert(req.headers);
        const answers = await Promise.all(
          req.queries.map(async (query): Promise<Answer> => {
            try {
              return await runOne(query, req, ctx);
            } catch (error) {
              const uid = req.pluginContext.dataSourceInstanceSettings?.uid;
              return { response: failed(error, { uid, refId: query.refId }, ctx.signal.aborted) };
            }
          })
        );
        noteStillLoading(answers, services.pacing.tps(OPERATION), now());
        const failures = answers.filter((a) => a.response.error).length;
        logger.debug('Queries answered', { queries: req.queries.length, failures, fromAlert });
        return Object.fromEntries(req.queries.map((query, i) => [query.refId, answers[i].response]));
      },

      async checkHealth(req: CheckHealthRequest, ctx: CallContext) {
        let result: CheckHealthResult;
        try {
          const checked = await withCoordinationLine(
            await checkHealth(usablePool(req.pluginContext.grafanaConfig), ctx),
            coordination
          );
          result = refresher ? withRefresherLine(checked, refresher) : checked;
        } catch (error) {
          result = { status: HealthStatus.Error, message: errorMessage(error) };
        }
        if (result.status !== HealthStatus.Ok) {
          const operation = (result.jsonDetails as { operation?: string } | undefined)?.operation ?? 'CheckHealth';
          const uid = req.pluginContext.dataSourceInstanceSettings?.uid;
          logger.warn('Health check failed', { uid, operation, message: result.message });
        }
        return result;
      },

      async callResource(req: CallResourceRequest, sender: ResourceResponseSender, ctx: CallContext) {
        let p: ClientPool;
        try {
          p = usablePool(req.pluginContext.grafanaConfig);
        } catch (error) {
          const status = error instanceof QueryError ? error.status : STATUS.internal;
          await sender.send(jsonResponse(status, { error: (error as Error).message }));
          return;
        }
        const response = await handleResource(
          req.path,
          req.method,
          req.searchParams,
          {
            pool: p,
            insights: (region, budget, trail) => insightsOf!(region, budget, { trail }),
            now,
          },
          ctx
        );
        await sender.send(response);
      },

      dispose() {
        pool?.dispose();
      },
    };
  };
}
