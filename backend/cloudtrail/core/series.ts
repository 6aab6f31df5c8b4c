/**
 * The metrics side's data shapes, used by every layer that stores or moves series (the caches,
 * the stores shared by replicas through Redis, the refresher): what one series is and its points.
 */
import type { ListInsightsMetricDataCommandInput } from '@aws-sdk/client-cloudtrail';
import type { PeriodSeconds } from '../../../src/shared/queryModel';

/** One ListInsightsMetricData request without its range and page token: identifies a series. */
export type MetricParams = Omit<ListInsightsMetricDataCommandInput, 'StartTime' | 'EndTime' | 'NextToken'>;

export interface SeriesPoints {
  timestamps: number[];
  values: number[];
}

/** Epoch ms, start inclusive and end exclusive (as the API's StartTime/EndTime). */
export interface Range {
  startMs: number;
  endMs: number;
}

/** One series' entry: a contiguous range and when its newest (possibly partial) bucket was read. */
export interface CachedSeries {
  period: PeriodSeconds;
  range: Range;
  fetchedAtMs: number;
  points: SeriesPoints;
}
