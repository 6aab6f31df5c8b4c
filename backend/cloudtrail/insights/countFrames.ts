/**
 * Insights counts for alert rules, in Grafana's data plane "numeric-multi" shape: one frame per
 * series (event source / name / insight type / error code), each with a single number field
 * whose labels name that series. Every series that had an Insight in the 90-day list (and passes
 * the filter) answers, with 0 when none matches now, so a rule sees Normal rather than NoData.
 */
import type { Frame, Notice } from '../../sdk/frame';
import type { SeriesLabels } from '../../../src/shared/labels';
import type { Insight } from '../core/insights';

export const NUMERIC_MULTI = { type: 'numeric-multi', typeVersion: [0, 1] as [number, number] };

export interface CountFramesInput {
  refId: string;
  region: string;
  /** Data-event scope: the trail, a label of every series (alert rules on several trails stay apart). */
  trail?: string;
  /** Every Insight of the series the filter allows (any state, any time). */
  candidates: readonly Insight[];
  /** The ones to count. */
  counted: readonly Insight[];
  description: string;
  executedQueryString: string;
  notices: Notice[];
}

export function insightLabels(insight: Insight, region: string, trail?: string): SeriesLabels {
  return {
    region,
    eventSource: insight.eventSource,
    eventName: insight.eventName,
    insightType: insight.insightType,
    ...(insight.errorCode ? { errorCode: insight.errorCode } : {}),
    ...(trail ? { trailName: trail } : {}),
  };
}

export function countFrames(input: CountFramesInput): Frame[] {
  const series = new Map<string, { labels: SeriesLabels; count: number }>();
  const keyOf = (labels: SeriesLabels) => JSON.stringify(labels);
  for (const insight of input.candidates) {
    const labels = insightLabels(insight, input.region, input.trail);
    series.set(keyOf(labels), { labels, count: 0 });
  }
  for (const insight of input.counted) {
    series.get(keyOf(insightLabels(insight, input.region, input.trail)))!.count++;
  }
  const meta = {
    ...NUMERIC_MULTI,
    executedQueryString: input.executedQueryString,
    ...(input.notices.length ? { notices: input.notices } : {}),
  };
  if (series.size === 0) {
    // The data plane's empty answer: one typed frame without fields (alert rules see NoData).
    return [{ name: 'Insights', refId: input.refId, fields: [], meta }];
  }
  return [...series.values()]
    .sort((a, b) => keyOf(a.labels).localeCompare(keyOf(b.labels)))
    .map(({ labels, count }, index) => ({
      name: 'Insights',
      refId: input.refId,
      fields: [
        {
          name: 'Insights',
          type: 'number' as const,
          values: [count],
          labels,
          config: {
            displayNameFromDS: `${labels.eventName}${labels.errorCode ? ` ${labels.errorCode}` : ''} (${labels.eventSource.replace(/\.amazonaws\.com$/, '')})`,
            description: input.description,
            unit: 'none',
          },
        },
      ],
      // Notices and the query string once per response are enough.
      meta: index === 0 ? meta : NUMERIC_MULTI,
    }));
}
