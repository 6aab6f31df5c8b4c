/**
 * The notice on series answered before their data could be fetched (a cold dashboard of more
 * series than CloudTrail's 1 call per second serves before the deadline): how many of the
 * request's series are still loading, why, and when a refresh will find them complete.
 */
import type { DataResponse } from '../../sdk/types';
import type { Notice } from '../../sdk/frame';
import type { StillLoading } from './seriesSource';

/** One query's answer, with what a metrics query could not include yet. */
export interface Answer {
  response: DataResponse;
  /** True for a metrics (series) query. */
  series?: boolean;
  loading?: StillLoading;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function loadingNotice(loading: StillLoading[], seriesCount: number, tps: number, nowMs: number): Notice {
  const quota = `CloudTrail allows ${plural(tps, 'call', 'calls')} per second`;
  const queued = loading.filter((l) => l.queued);
  if (queued.length < loading.length) {
    return {
      severity: 'warning',
      text: `${loading.length} of ${seriesCount} series could not be queued: ${quota} and too many series already wait for it; refresh in a minute or two.`,
    };
  }
  const readyAtMs = Math.max(...queued.map((l) => l.readyAtMs));
  // One second for the last call itself to answer after its turn.
  const seconds = Math.max(1, Math.ceil((readyAtMs - nowMs) / 1000) + 1);
  const verb = loading.length === 1 ? 'is' : 'are';
  return {
    severity: 'warning',
    text: `${loading.length} of ${seriesCount} series ${verb} still loading: ${quota}; refresh in about ${seconds} s.`,
  };
}

/** Adds the request's loading notice to every partial answer's frame. */
export function noteStillLoading(answers: Answer[], tps: number, nowMs: number): void {
  const partial = answers.filter((a) => a.loading);
  if (!partial.length) {
    return;
  }
  const notice = loadingNotice(
    partial.map((a) => a.loading!),
    answers.filter((a) => a.series).length,
    tps,
    nowMs
  );
  for (const answer of partial) {
    for (const frame of answer.response.frames) {
      frame.meta = { ...frame.meta, notices: [...(frame.meta?.notices ?? []), notice] };
    }
  }
}
