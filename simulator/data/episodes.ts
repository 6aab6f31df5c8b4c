// Insights episodes: at most one burst of unusual activity per series per 3-day slot, chosen by hash,
// so episodes for any window are found without storage and never straddle a slot boundary.
import { guidFor, hashInt, unit, uniformFor } from './hash';
import type { Episode, SeriesModel } from './model';
// Module-level aliases: hot loops avoid global lookups (slow inside jest's vm sandbox).
const { floor, max } = Math;

export const SLOT_MINUTES = 3 * 1440;
const EPISODE_PROBABILITY = 0.2;
const MIN_DURATION = 10;
/** Longest episode; insightEvents looks back this far for episodes that end inside a window. */
export const MAX_DURATION = 180;

export function episodeInSlot(s: SeriesModel, slot: number): Episode | undefined {
  const slotKey = hashInt(s.key ^ 0x5bd1e995, slot);
  if (unit(slotKey) >= EPISODE_PROBABILITY) {
    return undefined;
  }
  const durationMinutes = floor(uniformFor(slotKey, 'duration', MIN_DURATION, MAX_DURATION + 1));
  const offset = floor(uniformFor(slotKey, 'offset', 0, SLOT_MINUTES - MAX_DURATION - 60));
  const multiplier = uniformFor(slotKey, 'multiplier', 6, 20);
  return {
    series: s,
    slot,
    startMinute: slot * SLOT_MINUTES + offset,
    durationMinutes,
    extraRate: max(4, s.baseRatePerMinute * multiplier),
    // The label is part of the generated data: another one changes every Insight's id.
    insightId: guidFor(slotKey, 'insight-id'),
  };
}

/** Episodes of a series whose start minute lies in [fromMinute, toMinute). */
export function episodesStartingIn(s: SeriesModel, fromMinute: number, toMinute: number): Episode[] {
  const found: Episode[] = [];
  const firstSlot = floor(fromMinute / SLOT_MINUTES);
  const lastSlot = floor((toMinute - 1) / SLOT_MINUTES);
  for (let slot = firstSlot; slot <= lastSlot; slot++) {
    const e = episodeInSlot(s, slot);
    if (e && e.startMinute >= fromMinute && e.startMinute < toMinute) {
      found.push(e);
    }
  }
  return found;
}
