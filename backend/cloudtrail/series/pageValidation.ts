/**
 * Checks every ListInsightsMetricData page before it is merged, so that nothing but real data
 * reaches a panel or an alert rule: Timestamps and Values are lists of equal length, within the
 * page size asked for; every timestamp is a time on the requested period grid inside the requested
 * range; every value is a finite, non-negative count. The AWS SDK passes `null`, strings and
 * non-lists through as they came, and turns "NaN"/"Infinity" strings into NaN/±Infinity.
 *
 * Duplicates: pages may overlap, so a timestamp seen again with the SAME value is tolerated
 * (dropped when merging); the same timestamp with a different value is refused, because no
 * choice between the two would be honest.
 */
import { AwsCallError } from '../aws/awsFailures';
import type { MetricPage } from '../../../src/shared/mergePages';
import type { Range } from '../core/series';
import { isStrictlyIncreasing } from '../../../src/shared/sortedSeries';
import { STATUS } from '../core/errors';

export interface PageExpectation {
  periodSeconds: number;
  /** The range asked for: bucket starts must lie in [startMs, endMs). */
  range: Range;
  /** MaxResults of the request: no page may hold more points. */
  maxPoints: number;
  /** Names the series in messages, e.g. the call as sent. */
  subject: string;
}

/** One answer page as the SDK hands it over; the fields are checked, not trusted. */
export interface RawPage {
  Timestamps?: unknown;
  Values?: unknown;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** How a bad value reads in a message: null, "NaN" (a string), NaN, Infinity, a list, … */
function shown(value: unknown): string {
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (value === null || value === undefined) {
    return String(value);
  }
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function kindOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return typeof value === 'string' ? `the string ${shown(value)}` : `a ${typeof value}`;
}

function toMs(value: unknown): number | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Validates the pages of one fetch, one by one, remembering what earlier pages said. */
export class PageValidator {
  /** Time → value of the pages accepted so far; built only once a page could repeat a time. */
  private seen?: Map<number, number>;
  /** The first page while it is the only one (in time order, so with no repeat of its own). */
  private readonly accepted: MetricPage[] = [];

  constructor(private readonly expect: PageExpectation) {}

  private fail(what: string): never {
    throw new AwsCallError(
      `CloudTrail returned ${what} for ${this.expect.subject}; the answer was not used.`,
      'downstream',
      STATUS.badUpstream,
      'ListInsightsMetricData'
    );
  }

  /** The page with timestamps as epoch ms, or a downstream QueryError naming what was wrong. */
  accept(page: RawPage): MetricPage {
    const timestamps = page.Timestamps ?? [];
    const values = page.Values ?? [];
    if (!Array.isArray(timestamps)) {
      this.fail(`Timestamps that are not a list (${kindOf(timestamps)})`);
    }
    if (!Array.isArray(values)) {
      this.fail(`Values that are not a list of numbers (${kindOf(values)})`);
    }
    if (timestamps.length > this.expect.maxPoints || values.length > this.expect.maxPoints) {
      this.fail(
        `a page of ${Math.max(timestamps.length, values.length)} points, more than the ${this.expect.maxPoints} asked for (MaxResults)`
      );
    }
    if (timestamps.length !== values.length) {
      this.fail(`a page with ${timestamps.length} timestamps but ${values.length} values`);
    }
    const { periodSeconds, range } = this.expect;
    const periodMs = periodSeconds * 1000;
    const out: number[] = [];
    timestamps.forEach((t, i) => {
      const ms = toMs(t);
      if (ms === undefined) {
        this.fail(`a timestamp that is not a time (${shown(t)}) at position ${i}`);
      }
      // floor·period rather than %: the same exact test, without a slow float remainder per point.
      if (Math.floor(ms / periodMs) * periodMs !== ms) {
        this.fail(`a timestamp off the ${periodSeconds} s period grid (${iso(ms)})`);
      }
      if (ms < range.startMs || ms >= range.endMs) {
        this.fail(`a timestamp outside the requested range ${iso(range.startMs)}–${iso(range.endMs)} (${iso(ms)})`);
      }
      const value = values[i];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        this.fail(`a value that is not a finite number (${shown(value)}) at ${iso(ms)}`);
      }
      if (value < 0) {
        this.fail(`a negative count (${value}) at ${iso(ms)}`);
      }
      out.push(ms);
    });
    const accepted: MetricPage = { Timestamps: out, Values: values as number[] };
    // The usual answer, one page in time order, cannot hold a time twice: no map of every point.
    if (this.seen || this.accepted.length > 0 || !isStrictlyIncreasing(out)) {
      this.checkRepeats([...this.accepted.splice(0), accepted]);
    } else {
      this.accepted.push(accepted);
    }
    return accepted;
  }

  /** Refuses a time given two different values, across every page so far. */
  private checkRepeats(pages: MetricPage[]): void {
    const seen = (this.seen ??= new Map());
    for (const page of pages) {
      const values = page.Values ?? [];
      (page.Timestamps as number[]).forEach((ms, i) => {
        const earlier = seen.get(ms);
        if (earlier !== undefined && earlier !== values[i]) {
          this.fail(`two different values (${earlier} and ${values[i]}) for the same time ${iso(ms)}`);
        }
        seen.set(ms, values[i]);
      });
    }
  }
}
