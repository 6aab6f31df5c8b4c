// Per-minute counts of one series as a pure function of (seed, account, region, series, minute index):
// a daily rhythm with a quieter weekend, Poisson noise (so many minutes are zero), plus episodes.
import { hashInt, hashString, uniformFor, unit } from './hash';
import {
  CALL_RATE_TEMPLATES,
  DATA_CALL_RATE_TEMPLATES,
  DATA_ERROR_RATE_TEMPLATES,
  ERROR_RATE_TEMPLATES,
} from './templates';
import type { EventCategory, SeriesInfo } from '../types';
import { episodeInSlot, SLOT_MINUTES } from './episodes';
import type { Episode, SeriesModel } from './model';
// Module-level aliases: hot loops avoid global lookups (slow inside jest's vm sandbox).
const { floor, cos, exp, sqrt, log, round, max, min, PI } = Math;

export const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;

export function seriesId(s: Pick<SeriesInfo, 'eventSource' | 'eventName' | 'insightType' | 'errorCode'>): string {
  return `${s.eventSource}|${s.eventName}|${s.insightType}|${s.errorCode ?? ''}`;
}

/** The series of one account and region: management events (what every trail with management Insights
 *  sees), or the data events the data-event trail logs. */
export function buildSeries(
  seed: string,
  accountId: string,
  region: string,
  category: EventCategory = 'Management'
): SeriesModel[] {
  const scopeKey = hashString(`${seed}|${accountId}|${region}`);
  const accountScale = uniformFor(scopeKey, 'account-scale', 0.4, 1.6);
  const [callRate, errorRate] =
    category === 'Data'
      ? [DATA_CALL_RATE_TEMPLATES, DATA_ERROR_RATE_TEMPLATES]
      : [CALL_RATE_TEMPLATES, ERROR_RATE_TEMPLATES];
  // Management keys keep their historical form, so their data is what it always was.
  const keyScope = category === 'Data' ? `${seed}|${accountId}|${region}|Data` : `${seed}|${accountId}|${region}`;
  const infos: SeriesInfo[] = [
    ...callRate.map((t) => ({ ...t, insightType: 'ApiCallRateInsight' as const })),
    ...errorRate.map((t) => ({ ...t, insightType: 'ApiErrorRateInsight' as const })),
  ].map(({ eventSource, eventName, insightType, typicalRate, ...rest }) => ({
    eventSource,
    eventName,
    insightType,
    ...('errorCode' in rest ? { errorCode: (rest as { errorCode: string }).errorCode } : {}),
    baseRatePerMinute: typicalRate,
  }));
  return infos.map((info) => {
    const key = hashString(`${keyScope}|${seriesId(info)}`);
    return {
      ...info,
      baseRatePerMinute: round4(info.baseRatePerMinute * accountScale * uniformFor(key, 'scale', 0.5, 1.5)),
      key,
      amplitude: uniformFor(key, 'amplitude', 0.5, 0.95),
      peakMinuteOfDay: floor(uniformFor(key, 'peak', 9 * 60, 17 * 60)),
      weekendFactor: uniformFor(key, 'weekend', 0.2, 0.7),
      daySums: new Map(),
    };
  });
}

function round4(x: number): number {
  return round(x * 10_000) / 10_000;
}

/** Expected calls in a minute before episodes: base × daily cosine × weekend factor. */
export function baselineRate(s: SeriesModel, minute: number): number {
  const minuteOfDay = ((minute % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  const day = floor(minute / DAY_MINUTES);
  const dayOfWeek = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  const weekend = dayOfWeek === 0 || dayOfWeek === 6 ? s.weekendFactor : 1;
  const rhythm = 1 + s.amplitude * cos((2 * PI * (minuteOfDay - s.peakMinuteOfDay)) / DAY_MINUTES);
  return s.baseRatePerMinute * rhythm * weekend;
}

/** Inverse CDF of Poisson(lambda) at u; a normal approximation for large lambda. */
function poisson(lambda: number, u: number): number {
  if (lambda <= 0) {
    return 0;
  }
  if (lambda > 60) {
    // Box-Muller needs two uniforms; derive the second from the first deterministically.
    const u2 = (u * 7919.0) % 1;
    const z = sqrt(-2 * log(max(u, 1e-12))) * cos(2 * PI * u2);
    return max(0, round(lambda + sqrt(lambda) * z));
  }
  let p = exp(-lambda);
  let cdf = p;
  let k = 0;
  while (u > cdf && k < 400) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

/** Counts for minutes [firstMinute, firstMinute + n), written into out[offset..]. */
export function minuteCounts(s: SeriesModel, firstMinute: number, n: number, out: number[] = [], offset = 0): number[] {
  let slot = Number.NaN;
  let episode: Episode | undefined;
  for (let i = 0; i < n; i++) {
    const minute = firstMinute + i;
    const minuteSlot = floor(minute / SLOT_MINUTES);
    if (minuteSlot !== slot) {
      slot = minuteSlot;
      episode = episodeInSlot(s, slot);
    }
    let lambda = baselineRate(s, minute);
    if (episode && minute >= episode.startMinute && minute < episode.startMinute + episode.durationMinutes) {
      lambda += episode.extraRate;
    }
    out[offset + i] = poisson(lambda, unit(hashInt(s.key, minute)));
  }
  return out;
}

export function minuteCount(s: SeriesModel, minute: number): number {
  return minuteCounts(s, minute, 1)[0];
}

/** Sum of counts over minutes [from, to), memoising whole days. */
export function sumMinutes(s: SeriesModel, from: number, to: number): number {
  let total = 0;
  let minute = from;
  while (minute < to) {
    const day = floor(minute / DAY_MINUTES);
    const dayStart = day * DAY_MINUTES;
    const dayEnd = dayStart + DAY_MINUTES;
    if (minute === dayStart && dayEnd <= to) {
      let daySum = s.daySums.get(day);
      if (daySum === undefined) {
        daySum = minuteCounts(s, dayStart, DAY_MINUTES).reduce((a, b) => a + b, 0);
        if (s.daySums.size > 4096) {
          s.daySums.clear();
        }
        s.daySums.set(day, daySum);
      }
      total += daySum;
      minute = dayEnd;
    } else {
      const stop = min(dayEnd, to);
      total += minuteCounts(s, minute, stop - minute).reduce((a, b) => a + b, 0);
      minute = stop;
    }
  }
  return total;
}
