// Insights Start/End event records (the CloudTrailEvent JSON that LookupEvents returns), built from
// the same per-minute counts that ListInsightsMetricData serves so both views agree.
import { guidFor, uniformFor } from './hash';
import { episodesStartingIn, MAX_DURATION } from './episodes';
import type { Episode, SeriesModel } from './model';
import { MINUTE_MS, minuteCount, sumMinutes } from './series';

/** AWS measures the baseline over the 7 days before the Insights event starts. */
export const BASELINE_MINUTES = 7 * 1440;

export interface InsightEvent {
  eventId: string;
  eventTimeMs: number;
  state: 'Start' | 'End';
  episode: Episode;
}

/** Start/End events with eventTime in [fromMs, toMs] (both inclusive) that have happened by nowMs. */
export function insightEventsBetween(
  series: SeriesModel[],
  fromMs: number,
  toMs: number,
  nowMs: number
): InsightEvent[] {
  const lastMs = Math.min(toMs, nowMs);
  if (lastMs < fromMs) {
    return [];
  }
  const fromMinute = Math.floor(fromMs / MINUTE_MS) - MAX_DURATION - 1;
  const toMinute = Math.floor(lastMs / MINUTE_MS) + 1;
  const events: InsightEvent[] = [];
  for (const s of series) {
    for (const episode of episodesStartingIn(s, fromMinute, toMinute)) {
      const startMs = episode.startMinute * MINUTE_MS;
      const endMs = (episode.startMinute + episode.durationMinutes) * MINUTE_MS;
      if (startMs >= fromMs && startMs <= lastMs) {
        events.push({
          eventId: guidFor(episode.series.key ^ episode.slot, 'start'),
          eventTimeMs: startMs,
          state: 'Start',
          episode,
        });
      }
      if (endMs >= fromMs && endMs <= lastMs) {
        events.push({
          eventId: guidFor(episode.series.key ^ episode.slot, 'end'),
          eventTimeMs: endMs,
          state: 'End',
          episode,
        });
      }
    }
  }
  return events;
}

export interface InsightStatistics {
  baselineAverage: number;
  insightAverage: number;
  insightDuration: number;
}

/** Baseline = mean per-minute count over the 7 days before the start; insight = the first minute's count
 *  for a Start event, the mean over the whole episode for an End event (as AWS documents). */
export function statisticsFor(event: InsightEvent): InsightStatistics {
  const { series, startMinute, durationMinutes } = event.episode;
  const baselineAverage = sumMinutes(series, startMinute - BASELINE_MINUTES, startMinute) / BASELINE_MINUTES;
  if (event.state === 'Start') {
    return { baselineAverage, insightAverage: minuteCount(series, startMinute), insightDuration: 1 };
  }
  const total = sumMinutes(series, startMinute, startMinute + durationMinutes);
  return { baselineAverage, insightAverage: total / durationMinutes, insightDuration: durationMinutes };
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The CloudTrailEvent JSON of an Insights event for a trail (fields per the CloudTrail user guide). */
export function insightRecord(event: InsightEvent, accountId: string, region: string): Record<string, unknown> {
  const { series, insightId } = event.episode;
  const stats = statisticsFor(event);
  const role = series.eventSource.split('.')[0];
  const attribution = (attribute: string, values: Array<[string, number]>) => ({
    attribute,
    insight: values.map(([value, share]) => ({ value, average: stats.insightAverage * share })),
    baseline: values.map(([value, share]) => ({ value, average: stats.baselineAverage * share })),
  });
  // Two or three contributors per attribute, their split fixed per episode (shares add up to 1).
  const split = uniformFor(series.key ^ event.episode.slot, 'attribution', 0.55, 0.9);
  const principals: Array<[string, number]> = [
    [`arn:aws:iam::${accountId}:role/${role}-automation`, split],
    [`arn:aws:iam::${accountId}:user/ops-${role}`, 1 - split],
  ];
  const agents: Array<[string, number]> = [
    ['aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5', split],
    ['aws-cli/2.17.0 Python/3.11.9 Linux/6.1', (1 - split) / 2],
    ['console.amazonaws.com', (1 - split) / 2],
  ];
  return {
    eventVersion: '1.08',
    eventTime: isoSeconds(event.eventTimeMs),
    awsRegion: region,
    eventID: event.eventId,
    eventType: 'AwsCloudTrailInsight',
    recipientAccountId: accountId,
    sharedEventID: insightId,
    insightDetails: {
      state: event.state,
      eventSource: series.eventSource,
      eventName: series.eventName,
      insightType: series.insightType,
      ...(series.errorCode ? { errorCode: series.errorCode } : {}),
      insightContext: {
        statistics: {
          baseline: { average: stats.baselineAverage },
          insight: { average: stats.insightAverage },
          insightDuration: stats.insightDuration,
          baselineDuration: BASELINE_MINUTES,
        },
        attributions: [
          attribution('userIdentityArn', principals),
          attribution('userAgent', agents),
          attribution('errorCode', [[series.errorCode ?? 'null', 1]]),
        ],
      },
    },
    eventCategory: 'Insight',
  };
}
