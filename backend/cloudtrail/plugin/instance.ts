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
import { checkHealth, withCoordinationLine, withGovernanceDetails } from './health';
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
import { authNotAllowed, authPolicy, NOT_FORWARDED, parseSettings } from '../aws/settings';
import { settingName } from './operatorSettings';
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

/** The user Grafana's alert scheduler evaluates rules as (ngalert's SchedulerUserFor: login, org role). */
export const ALERT_SCHEDULER = { login: 'grafana_scheduler', role: 'Admin' } as const;

/**
 * Whether a request is an alert rule evaluation, for its place in the quota's line. Grafana copies
 * the `FromAlert` header of any incoming HTTP request onto the plugin request (clientmiddleware
 * UseAlertHeadersMiddleware), so a browser's POST /api/ds/query can carry it: the header counts
 * only together with the user Grafana's scheduler evaluates rules as.
 */
export function isAlertEvaluation(req: Pick<QueryDataRequest, 'headers' | 'pluginContext'>): boolean {
  const user = req.pluginContext.user;
  return isFromAlert(req.headers) && user?.login === ALERT_SCHEDULER.login && user.role === ALERT_SCHEDULER.role;
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

/**
 * What each query past `max_queries_per_request` answers (400; the protocol layer's QueryLimit
 * does not run it): the limit and the setting that raises it. Every org's dashboards and alerts
 * share an account's quota, and the browser's own expansion cap does not bound a direct POST to
 * /api/ds/query.
 */
export function tooManyQueriesMessage(count: number, max: number): string {
  return (
    `This request carries ${count} queries and this Grafana server runs at most ${max} of one request (the first ${max}); ` +
    `this query was not run. Split the panel or dashboard, or ask an admin to raise ${settingName('MAX_QUERIES_PER_REQUEST')}.`
  );
}

export function makeCloudTrailInstanceFactory(services: ProcessServices, deps: InstanceDeps = {}): InstanceFactory {
  const series = deps.series ?? services.series;
  // A refresher belongs to one series source: the process's only refreshes the process's source.
  const refresher =
    deps.refresher === undefined ? (deps.series ? undefined : services.refresher) : (deps.refresher ?? undefined);
  const insightCache = deps.insightCache ?? services.insightCache;
  const now = deps.now ?? Date.now;
  const coordination = deps.coordination ?? services.coordination;
  const poolServices = {
    pacing: services.pacing,
    accounts: services.accounts,
    hostEnv: services.hostEnv,
    endpoints: services.endpoints,
  };
  let warnedUnforwarded = false;
  /** Grafana's [aws] policy of this request; says once per process when none was forwarded. */
  const policyOf = (grafanaConfig: Readonly<Record<string, string>>) => {
    const policy = authPolicy(grafanaConfig, services.hostEnv);
    if (!policy.forwarded && !warnedUnforwarded) {
      warnedUnforwarded = true;
      logger.warn(NOT_FORWARDED);
    }
    return policy;
  };

  return (instanceSettings, pluginContext): DataSourceInstance => {
    const parsed = parseSettings(instanceSettings);
    const pool = parsed.ok
      ? new ClientPool(parsed.settings, policyOf(pluginContext.grafanaConfig), poolServices)
      : undefined;

    /** The pool if settings are usable and allowed by this request's Grafana config. */
    const usablePool = (grafanaConfig: Readonly<Record<string, string>>): ClientPool => {
      if (!parsed.ok) {
        throw invalidRequest(`The data source settings are invalid: ${parsed.error}`);
      }
      const notAllowed = authNotAllowed(parsed.settings, policyOf(grafanaConfig), services.endpoints);
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
            { signal: ctx.signal, deadlineMs, priority: isAlertEvaluation(req) ? 'alert' : 'interactive' },
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
        const fromAlert = isAlertEvaluation(req);
        const uid = req.pluginContext.dataSourceInstanceSettings?.uid;
        const answers = await Promise.all(
          req.queries.map(async (query): Promise<Answer> => {
            try {
              return await runOne(query, req, ctx);
            } catch (error) {
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
        result = withGovernanceDetails(result, policyOf(req.pluginContext.grafanaConfig), services.hostEnv);
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
            trails: services.trails,
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
