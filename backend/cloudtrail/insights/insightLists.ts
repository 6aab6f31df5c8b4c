/**
 * Where an Insights list comes from, per scope: management events (LookupEvents, insightEvents.ts)
 * or one trail's data events (ListInsightsData, listInsightsData.ts). Both go the same way: the
 * process's Insights cache per account, region and trail (InsightsListKey), one load at a time,
 * across replicas through the coordination's list store (replicatedInsightLists.ts).
 *
 * Lists are shared per proven account, permissions are per principal: the account's LookupEvents
 * access is proven by ClientPool.scope(); a trail's data-event list is read only after these
 * credentials proved cloudtrail:ListInsightsData on that trail (one event, once per cache TTL).
 */
import type { ClientPool } from '../aws/clients';
import type { CallBudget } from '../core/calls';
import type { InsightList } from '../core/insights';
import { InsightsListKey } from '../core/keys';
import type { Coordination } from '../coordination/types';
import type { InsightCache } from './insightCache';
import { lookupInsights } from './insightEvents';
import { listTrailInsights, proveTrailInsightsAccess } from './listInsightsData';
import { loadInsightListOnce } from './replicatedInsightLists';

export interface InsightListDeps {
  cache: InsightCache;
  coordination: Pick<Coordination, 'insightLists' | 'locks'>;
  now: () => number;
  /** Pages (of 50) read per list; undefined: the default (20). */
  maxPages?: number;
}

export interface InsightListAsk {
  /** Accept a list at most this old (default: the cache's TTL). */
  maxAgeMs?: number;
  /** Data-event scope: the trail (name or ARN); absent for management events. */
  trail?: string;
}

export type InsightListReader = (region: string, budget: CallBudget, ask?: InsightListAsk) => Promise<InsightList>;

/** The Insights lists one data source's credentials (`pool`) may read. */
export function insightListReader(pool: ClientPool, deps: InsightListDeps): InsightListReader {
  /** Region + trail → until when these credentials' ListInsightsData access counts as proven. */
  const proven = new Map<string, Promise<number>>();

  const proveTrailAccess = async (region: string, trail: string, budget: CallBudget) => {
    const id = `${region}|${trail}`;
    const known = proven.get(id);
    const until = await known?.catch(() => 0);
    if (known && until !== undefined && until > deps.now()) {
      return;
    }
    const proof = (async () => {
      const scope = await pool.scope(region, budget.signal);
      await proveTrailInsightsAccess(pool.cloudTrailClient(region), scope, pool.pacing, trail, deps.now(), budget);
      return deps.now() + deps.cache.ttlMs;
    })();
    proven.set(id, proof);
    try {
      await proof;
    } catch (error) {
      if (proven.get(id) === proof) {
        proven.delete(id);
      }
      throw error;
    }
  };

  return async (region, budget, ask = {}) => {
    const scope = await pool.scope(region, budget.signal);
    const trail = ask.trail;
    if (trail) {
      await proveTrailAccess(region, trail, budget);
    }
    const key = new InsightsListKey(scope.account, trail);
    const client = pool.cloudTrailClient(region);
    const list = (joined: CallBudget) =>
      trail
        ? listTrailInsights(client, scope, pool.pacing, trail, deps.now(), joined, deps.maxPages)
        : lookupInsights(client, scope, pool.pacing, deps.now(), joined, deps.maxPages);
    // A miss here reads the list another replica stored before listing (coordination/).
    return deps.cache.get(
      key,
      deps.now(),
      budget,
      (joined) =>
        loadInsightListOnce(deps.coordination, key, joined, ask.maxAgeMs ?? deps.cache.ttlMs, deps.now, () =>
          list(joined)
        ),
      ask.maxAgeMs
    );
  };
}
