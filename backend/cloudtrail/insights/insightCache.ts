/**
 * The Insights lists (insightEvents.ts) per InsightsListKey (proven account + region); `maxAgeMs`
 * lets annotations ask for fresher data. A load is shared (sharedCall.ts): one caller's
 * cancellation or deadline ends only its own wait, and the load stops only when every caller
 * waiting for it has cancelled. Memory is bounded by the number of Insights kept plus a per-list
 * overhead (least recently used lists go first); a failed load leaves nothing behind.
 */
import { QueryError } from '../../sdk/types';
import { DEFAULT_INSIGHT_TTL_MS, freshEnough, type InsightList } from '../core/insights';
import type { CallBudget } from '../core/calls';
import type { Keyed } from '../core/keys';
import { LATE, JoinedCall } from '../pacing/joinedCall';
import { STATUS, stoppedError } from '../core/errors';

interface Entry {
  list?: InsightList;
  pending?: JoinedCall<InsightList>;
  /** Insights held plus the per-list overhead (0 while nothing is held). */
  cost: number;
}

/** ≈ 15 MB: an Insight holds a few short strings and numbers (~300 bytes). */
export const DEFAULT_MAX_INSIGHTS = 50_000;
/** What one list costs beyond its Insights, in Insights (key, list object). */
export const LIST_OVERHEAD_INSIGHTS = 2;

const stopped = () => stoppedError('LookupEvents');

export class InsightCache {
  private readonly entries = new Map<string, Entry>();
  private cost = 0;

  constructor(
    readonly ttlMs = DEFAULT_INSIGHT_TTL_MS,
    readonly maxInsights = DEFAULT_MAX_INSIGHTS
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get totalCost(): number {
    return this.cost;
  }

  async get(
    key: Keyed,
    nowMs: number,
    caller: CallBudget,
    load: (joined: CallBudget) => Promise<InsightList>,
    maxAgeMs = this.ttlMs
  ): Promise<InsightList> {
    const id = key.id;
    const entry = this.entries.get(id) ?? { cost: 0 };
    if (entry.list && freshEnough(entry.list, nowMs, maxAgeMs)) {
      this.entries.delete(id);
      this.entries.set(id, entry);
      return entry.list;
    }
    if (!entry.pending) {
      const pending = new JoinedCall((joined) =>
        load(joined)
          .then((list) => {
            this.keep(id, entry, list);
            return list;
          })
          .finally(() => {
            if (entry.pending === pending) {
              entry.pending = undefined;
            }
            if (!entry.list && this.entries.get(id) === entry) {
              this.entries.delete(id);
            }
          })
      );
      entry.pending = pending;
      this.entries.set(id, entry);
    }
    const answer = await entry.pending
      .wait({ signal: caller.signal, deadlineMs: caller.deadlineMs(), priority: caller.priority?.() ?? 'interactive' })
      .catch((error) => {
        throw caller.signal?.aborted ? stopped() : error;
      });
    if (answer === LATE) {
      throw new QueryError(
        "The Insights list did not arrive before the request's deadline; try again.",
        'plugin',
        STATUS.stopped
      );
    }
    return answer;
  }

  private keep(id: string, entry: Entry, list: InsightList): void {
    this.remove(id);
    const cost = list.insights.length + LIST_OVERHEAD_INSIGHTS;
    if (cost > this.maxInsights) {
      entry.list = undefined;
      return; // Served to its readers, but too large to keep.
    }
    entry.list = list;
    entry.cost = cost;
    this.entries.set(id, entry);
    this.cost += cost;
    for (const [victim] of this.entries) {
      if (this.cost <= this.maxInsights) {
        break;
      }
      this.remove(victim);
    }
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (entry) {
      this.cost -= entry.cost;
      entry.cost = 0;
      this.entries.delete(id);
    }
  }
}
