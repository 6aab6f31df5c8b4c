/**
 * A replicated value that is not served: counted by store and reason, and logged once per reason
 * per process (a forger, a wrong clock or an older replica would otherwise fill the log). The
 * log names the reason and what it usually means, never the value, the key id or the secret.
 */
import { logger } from '../../../../sdk/logger';
import { replicatedEntriesRefused } from '../../metrics';

export type RefusedStore = 'series' | 'insights' | 'tracked';
/**
 * - unsigned: no MAC (written by an older version of this plugin, or by something else);
 * - forged: the MAC does not match (another secret, altered, or moved from another key);
 * - future: its fetch time is ahead of this replica's clock;
 * - malformed: the MAC matches but the value is not one this version reads.
 */
export type RefusalReason = 'unsigned' | 'forged' | 'future' | 'malformed';

/** How far a fetch time may lie ahead of this replica's clock (replicas' clocks differ a little). */
export const CLOCK_ALLOWANCE_MS = 1_000;

const MEANING: Record<RefusalReason, string> = {
  unsigned:
    'it carries no MAC: written by an older version of this plugin (harmless during an upgrade) or by another program writing to this Redis',
  forged:
    'its MAC does not match: written by a replica with another redis_shared_secret, altered, or moved from another key',
  future: "its fetch time is ahead of this replica's clock: a replica's clock is wrong, or the value was forged",
  malformed: 'its MAC matches but this version cannot read it (a newer plugin version wrote it)',
};

const logged = new Set<RefusalReason>();

export function refuse(store: RefusedStore, reason: RefusalReason): undefined {
  replicatedEntriesRefused.inc({ store, reason });
  if (!logged.has(reason)) {
    logged.add(reason);
    logger.warn(
      `A value in Redis was refused and treated as a miss (further ones of this kind are only counted in cloudtrail_insights_replicated_entries_refused_total): ${MEANING[reason]}`,
      { store, reason }
    );
  }
  return undefined;
}

/** true when `fetchedAtMs` lies ahead of `nowMs` by more than the clock allowance. */
export function fromTheFuture(fetchedAtMs: number, nowMs: number): boolean {
  return fetchedAtMs > nowMs + CLOCK_ALLOWANCE_MS;
}
