/**
 * Frames in Grafana's data plane "timeseries-multi" shape: one frame per series with a time field
 * and a number field carrying the series labels, so alert rules and expressions can read them.
 *
 * Unit: ListInsightsMetricData returns a COUNT per period (calls or errors in each 60/300/3600 s
 * bucket), not a per-second rate. We keep the raw counts, as the CloudTrail console and CLI show
 * them, with unit `short`; the field description names the period so a changing auto period is
 * visible to the reader.
 */
import type { Field, Frame, FrameMeta, Notice, QueryStat } from '../../sdk/frame';
import type { SeriesLabels } from '../../../src/shared/labels';
import type { ValueUnit } from '../../../src/shared/queryModel';
import type { SeriesPoints } from '../core/series';

export const TIMESERIES_MULTI: Pick<FrameMeta, 'type' | 'typeVersion'> = {
  type: 'timeseries-multi',
  typeVersion: [0, 1],
};

export interface SeriesFrameInput {
  refId: string;
  labels: SeriesLabels;
  displayName: string;
  periodSeconds: number;
  points: SeriesPoints;
  /** Data links for the series, e.g. CloudTrail's event history for it. */
  links?: Array<{ title: string; url: string; targetBlank?: boolean }>;
  /** perPeriod (default): the API's counts; perMinute: each count ÷ (period / 60). */
  valueUnit?: ValueUnit;
  executedQueryString: string;
  notices: Notice[];
  stats: QueryStat[];
  /** Extra details for query inspector users (cache source, planned range). */
  custom?: Record<string, unknown>;
}

export function seriesFrame(input: SeriesFrameInput): Frame {
  const kind = input.labels.insightType === 'ApiErrorRateInsight' ? 'errors' : 'API calls';
  const time: Field<'time'> = { name: 'time', type: 'time', values: input.points.timestamps };
  const minutes = input.periodSeconds / 60;
  // Per minute keeps axes and alert thresholds steady when auto period changes with the zoom.
  const perMinute = input.valueUnit === 'perMinute';
  const value: Field<'number'> = {
    name: 'value',
    type: 'number',
    values: perMinute ? input.points.values.map((v) => v / minutes) : input.points.values,
    labels: input.labels,
    config: {
      ...(input.links?.length ? { links: input.links } : {}),
      ...(perMinute
        ? {
            displayNameFromDS: input.displayName,
            // Grafana's "counts/min (cpm)" unit.
            unit: 'cpm',
            description: `Number of ${kind} per minute (each ${input.periodSeconds} s period's count ÷ ${minutes})`,
          }
        : {
            displayNameFromDS: input.displayName,
            unit: 'short',
            description: `Number of ${kind} in each ${input.periodSeconds} s period`,
          }),
    },
  };
  return {
    name: input.displayName,
    refId: input.refId,
    fields: [time, value],
    meta: {
      ...TIMESERIES_MULTI,
      executedQueryString: input.executedQueryString,
      ...(input.notices.length ? { notices: input.notices } : {}),
      stats: input.stats,
      ...(input.custom ? { custom: input.custom } : {}),
    },
  };
}
