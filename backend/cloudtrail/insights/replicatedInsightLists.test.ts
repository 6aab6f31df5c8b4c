import type { InsightList } from '../core/insights';
import { QueryError } from '../../sdk/types';
import { noFetchLock } from '../coordination/localCoordination';
import { loadInsightListOnce } from './replicatedInsightLists';
import type { InsightListStore, Keyed } from '../coordination/types';

const NOW = Date.UTC(2026, 11, 1, 9);
const key = { id: 'account:123456789012|us-east-1|aws|insights' };
const budget = { deadlineMs: () => NOW + 30_000 };
const listed = (fetchedAtMs: number): InsightList => ({ insights: [], fetchedAtMs, truncated: false, pages: 1 });

/** A store in memory: what another replica wrote is what this one reads. */
function memoryStore(initial?: InsightList): InsightListStore & { writes: InsightList[] } {
  const lists = new Map<string, InsightList>(initial ? [[key.id, initial]] : []);
  const writes: InsightList[] = [];
  return {
    writes,
    read: async (k: Keyed) => lists.get(k.id),
    write: async (k: Keyed, list: InsightList) => {
      writes.push(list);
      lists.set(k.id, list);
    },
  };
}

/** A 2-minute ask at NOW, in-process locks. */
const load = (insightLists: InsightListStore, list: () => Promise<InsightList>) =>
  loadInsightListOnce({ insightLists, locks: noFetchLock }, key, budget, 120_000, () => NOW, list);

describe('loadInsightListOnce', () => {
  it('answers with the list another replica stored when it is fresh enough, without listing', async () => {
    const stored = listed(NOW - 120_000); // exactly as old as the ask allows
    const insightLists = memoryStore(stored);
    const list = jest.fn(async () => listed(NOW));
    const answer = await load(insightLists, list);
    expect(answer).toBe(stored);
    expect(list).not.toHaveBeenCalled();
  });

  it('lists when the stored list is older than the ask allows, and stores the new one for the others', async () => {
    const insightLists = memoryStore(listed(NOW - 120_001));
    const fresh = listed(NOW);
    const list = jest.fn(async () => fresh);
    const answer = await load(insightLists, list);
    expect(answer).toBe(fresh);
    expect(list).toHaveBeenCalledTimes(1);
    expect(insightLists.writes).toEqual([fresh]);
  });

  it('lists when nothing is stored, and a failed listing stores nothing', async () => {
    const insightLists = memoryStore();
    const failing = async (): Promise<InsightList> => {
      throw new Error('AccessDenied');
    };
    await expect(load(insightLists, failing)).rejects.toThrow('AccessDenied');
    expect(insightLists.writes).toEqual([]);
  });

  it('gives up at the deadline while another replica still holds the list, with a 504 saying so', async () => {
    const busy = { tryAcquire: async () => ({ acquired: false as const, retryInMs: 50 }) };
    const list = jest.fn(async () => listed(NOW));
    const late = loadInsightListOnce(
      { insightLists: memoryStore(), locks: busy },
      key,
      { deadlineMs: () => NOW },
      120_000,
      () => NOW,
      list
    );
    await expect(late).rejects.toThrow(QueryError);
    await expect(late).rejects.toMatchObject({
      message:
        "Another Grafana replica was still listing this account's Insights at the request's deadline; try again.",
      status: 504,
      errorSource: 'plugin',
    });
    expect(list).not.toHaveBeenCalled();
  });
});
