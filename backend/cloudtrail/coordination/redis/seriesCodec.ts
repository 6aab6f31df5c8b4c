/**
 * A stored series as Redis values: `meta` (JSON: format version, period, range, fetch time) and
 * `points` (little-endian float64 pairs timestamp, value). Decoding checks everything, so a
 * value written by another version or damaged in Redis is a miss, never data on a panel.
 */
import { isPeriodSeconds } from '../../../../src/shared/queryModel';
import type { StoredSeries } from '../types';

export const FORMAT_VERSION = 1;

export interface EncodedSeries {
  meta: string;
  points: Buffer;
}

export function encodeSeries(series: StoredSeries): EncodedSeries {
  const { timestamps, values } = series.points;
  const points = Buffer.alloc(timestamps.length * 16);
  timestamps.forEach((t, i) => {
    points.writeDoubleLE(t, i * 16);
    points.writeDoubleLE(values[i], i * 16 + 8);
  });
  const meta = JSON.stringify({
    v: FORMAT_VERSION,
    period: series.period,
    startMs: series.range.startMs,
    endMs: series.range.endMs,
    fetchedAtMs: series.fetchedAtMs,
  });
  return { meta, points };
}

/** The series, or undefined when the stored values are not a well-formed series of this format. */
export function decodeSeries(meta: string | undefined, points: Buffer | undefined): StoredSeries | undefined {
  if (meta === undefined || points === undefined || points.length % 16 !== 0) {
    return undefined;
  }
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(meta);
  } catch {
    return undefined;
  }
  const { v, period, startMs, endMs, fetchedAtMs } = m ?? {};
  const finite = [startMs, endMs, fetchedAtMs].every((n) => typeof n === 'number' && Number.isFinite(n));
  if (v !== FORMAT_VERSION || !isPeriodSeconds(period) || !finite || (startMs as number) >= (endMs as number)) {
    return undefined;
  }
  const range = { startMs: startMs as number, endMs: endMs as number };
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let at = 0; at < points.length; at += 16) {
    const t = points.readDoubleLE(at);
    const value = points.readDoubleLE(at + 8);
    const ordered = timestamps.length === 0 || t > timestamps[timestamps.length - 1];
    if (!ordered || t < range.startMs || t >= range.endMs || !Number.isFinite(value) || value < 0) {
      return undefined;
    }
    timestamps.push(t);
    values.push(value);
  }
  return { period, range, fetchedAtMs: fetchedAtMs as number, points: { timestamps, values } };
}
