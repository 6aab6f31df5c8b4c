/**
 * One LookupEvents listing per account + region across replicas. A replica whose own Insights
 * cache misses first reads the list another replica stored, if it is as fresh as this ask needs;
 * otherwise it takes the list's fetch lock and lists, storing the result for the others, or —
 * while another replica holds the lock — waits for that replica's list (fetchOnce.ts). With
 * in-process coordination the store is empty and every miss lists, as before.
 */
import { QueryError } from '../../sdk/types';
import type { CallBudget } from '../core/calls';
import { freshEnough, type InsightList } from '../core/insights';
import { fetchOnce } from '../coordination/fetchOnce';
import type { Coordination, Keyed } from '../coordination/types';
import { STATUS } from '../core/errors';

export async function loadInsightListOnce(
  coordination: Pick<Coordination, 'insightLists' | 'locks'>,
  key: Keyed,
  budget: CallBudget,
  maxAgeMs: number,
  now: () => number,
  list: () => Promise<InsightList>
): Promise<InsightList> {
  let stored: InsightList | undefined;
  const result = await fetchOnce(coordination.locks, key, {
    served: async () => {
      const found = await coordination.insightLists.read(key);
      stored = found && freshEnough(found, now(), maxAgeMs) ? found : undefined;
      return stored !== undefined;
    },
    fetch: async () => {
      const fetched = await list();
      await coordination.insightLists.write(key, fetched);
      return fetched;
    },
    signal: budget.signal,
    deadlineMs: budget.deadlineMs,
    onTimeout: () =>
      new QueryError(
        "Another Grafana replica was still listing this account's Insights at the request's deadline; try again.",
        'plugin',
        STATUS.stopped
      ),
    now,
  });
  return result.served ? stored! : result.value;
}
