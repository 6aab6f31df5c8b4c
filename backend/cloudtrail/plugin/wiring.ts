/**
 * The process's singletons, made in this one place and handed down: CloudTrail's quotas are per
 * account and region, not per data source, so every data source instance of the process shares
 * one pacing, one account resolver, one series source (cache, joined calls), one refresher, one
 * Insights list cache and one coordination with other replicas (in-process, or Redis).
 * Nothing here runs at import: `backend/main.ts` calls `processServices(process.env)` once.
 */
import type { Pacing } from '../core/calls';
import { AccountResolver } from '../aws/accounts';
import { createCoordination } from '../coordination/coordination';
import type { Coordination } from '../coordination/types';
import { InsightCache } from '../insights/insightCache';
import { pacingOf, parseQuotaOverrides, QuotaTable } from '../pacing/quotas';
import { Refresher } from '../series/refresh/refresher';
import { refresherConfig } from '../series/refresh/refresherConfig';
import { SeriesCache } from '../series/seriesCache';
import { OPERATION } from '../series/seriesFetcher';
import { SeriesSource } from '../series/seriesSource';
import {
  maxQueriesPerRequest,
  positiveSetting,
  readOperatorSettings,
  settingName,
  type OperatorSettings,
} from './operatorSettings';
import { parseAllowedEndpoints, type EndpointPolicy } from '../aws/endpointPolicy';
import { LookupCache } from './lookupCache';
import type { TrailsSeen } from './trails';
import { logger } from '../../sdk/logger';

export interface ProcessServices {
  /** The operator's settings in force (plugin/operatorSettings.ts). */
  readonly settings: OperatorSettings;
  /** The Grafana server's environment as the AWS SDK reads it (proxies, AWS_* credentials). */
  readonly hostEnv: NodeJS.ProcessEnv;
  readonly pacing: Pacing;
  readonly accounts: AccountResolver;
  /** Quota, cache and fetch locks across replicas (Redis) or in-process: the health check names which. */
  readonly coordination: Coordination;
  readonly series: SeriesSource;
  /** Keeps asked-for series fresh in the background. */
  readonly refresher: Refresher;
  readonly insightCache: InsightCache;
  /** LookupEvents pages (of 50) read per Insights list; undefined: the default (20). */
  readonly lookupMaxPages?: number;
  /** `allowed_endpoints`: origins data sources with the server's credentials may also use. */
  readonly endpoints: EndpointPolicy;
  /** `max_queries_per_request`: queries of one QueryData request that run; the rest answer 400. */
  readonly maxQueriesPerRequest: number;
  /** The editors' trail lists, kept briefly per account, region and caller. */
  readonly trails: LookupCache<TrailsSeen>;
  close(): Promise<void>;
}

/** `env`: the process's environment, handed over by backend/main.ts. */
export function processServices(env: NodeJS.ProcessEnv): ProcessServices {
  const settings = readOperatorSettings(env);
  const coordination = createCoordination(settings);
  const pacing = pacingOf(coordination.quota, new QuotaTable(parseQuotaOverrides(settings.CLOUDTRAIL_QUOTAS)));
  const gatherMs = settings.CLOUDTRAIL_GATHER_MS;
  const series = new SeriesSource(
    new SeriesCache({ maxPoints: positiveSetting(settings.CLOUDTRAIL_CACHE_MAX_POINTS) }),
    {
      pacing,
      pageSize: positiveSetting(settings.CLOUDTRAIL_PAGE_SIZE),
      // 0 is a valid window (no gathering), so only an unset value takes the default.
      gatherMs: gatherMs ? Number(gatherMs) : undefined,
      coordination,
    }
  );
  const refresher = new Refresher(series, {
    ...refresherConfig(settings),
    tps: pacing.tps(OPERATION),
    tracking: coordination.tracking,
    leases: coordination.leases,
  });
  const allowed = parseAllowedEndpoints(settings.CLOUDTRAIL_ALLOWED_ENDPOINTS);
  if (allowed.invalid.length) {
    logger.warn('Some allowed endpoints are not http(s) origins and are ignored', {
      setting: settingName('ALLOWED_ENDPOINTS'),
      ignored: allowed.invalid.join(', '),
    });
  }
  return {
    settings,
    hostEnv: env,
    endpoints: allowed.policy,
    maxQueriesPerRequest: maxQueriesPerRequest(settings),
    trails: new LookupCache<TrailsSeen>(),
    pacing,
    accounts: new AccountResolver(),
    coordination,
    series,
    refresher,
    insightCache: new InsightCache(),
    lookupMaxPages: positiveSetting(settings.CLOUDTRAIL_LOOKUP_MAX_PAGES),
    close: async () => {
      refresher.dispose();
      await coordination.close();
    },
  };
}
