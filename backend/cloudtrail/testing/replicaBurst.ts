/**
 * The HA scenario of issue 24, for any Redis shape: N in-process replicas (inProcessReplicas.ts)
 * each asking for the same series at once — a dashboard query per series, and the first few as
 * alert rule evaluations too — against the simulator at its real quota (1 call per second),
 * behind a front that counts calls per series. Something may happen mid-run (a master killed).
 */
import { startSimulator, type RunningSimulator, type SeriesInfo } from '../../../simulator';
import { startCountingFront, seriesCountKey, type CountingFront } from './countingFront';
import { startReplica, type InProcessReplica } from './inProcessReplicas';

export const BURST_KEYS = { accessKeyId: 'AKIDREDISSHAPES01', secretAccessKey: 'redis-shapes-secret-5e1f' };

export interface Upstream {
  readonly sim: RunningSimulator;
  readonly front: CountingFront;
  /** `count` different series of the simulator's catalog, the ones least recently handed out. */
  freshSeries(count: number): SeriesInfo[];
  replica(env: Record<string, string>): Promise<InProcessReplica>;
  stop(): Promise<void>;
}

/** `quotas`: the simulator's rates per operation (default AWS': ListInsightsMetricData 1 per second). */
export async function startUpstream(seed: string, quotas?: Record<string, number>): Promise<Upstream> {
  const sim = await startSimulator({ seed, credentials: [BURST_KEYS], ...(quotas ? { quotas } : {}) });
  const front = await startCountingFront(sim.url);
  const all = sim.catalog('us-east-1').series;
  let used = 0;
  const replicas: InProcessReplica[] = [];
  return {
    sim,
    front,
    freshSeries(count) {
      if (count > all.length) {
        throw new Error(`the simulator's catalog has only ${all.length} series`);
      }
      // Round the catalog (tests use their own key prefix or their own replicas: no cache is reused).
      const picked = Array.from({ length: count }, (_, i) => all[(used + i) % all.length]);
      used += count;
      return picked;
    },
    async replica(env) {
      const r = await startReplica(env, { endpoint: front.url, ...BURST_KEYS });
      replicas.push(r);
      return r;
    },
    async stop() {
      await Promise.all(replicas.map((r) => r.close()));
      await front.stop();
      await sim.stop();
    },
  };
}

export interface BurstOutcome {
  /** Every query's error ('' when it answered). */
  errors: string[];
  /** ListInsightsMetricData calls the simulator received, throttled ones included. */
  calls: number;
  throttled: number;
  /** Calls per series (in `series` order), throttled ones included. */
  perSeries: number[];
  /** Calls per series answered with data. */
  answeredPerSeries: number[];
  /** How long each replica's alert queries took (ms). */
  alertMs: number[];
}

export interface BurstOptions {
  /** The first this many series are also asked by an alert rule on every replica (default 3). */
  alerts?: number;
  /** Runs this long after the burst starts, while it goes on. */
  midRun?: { atMs: number; action: () => Promise<unknown> };
}

export async function replicaBurst(
  upstream: Upstream,
  replicas: InProcessReplica[],
  series: SeriesInfo[],
  options: BurstOptions = {}
): Promise<BurstOutcome> {
  const alerts = options.alerts ?? 3;
  upstream.sim.resetCounts();
  upstream.front.reset();
  const alertMs: number[] = [];
  const started = Date.now();
  const queries = replicas.flatMap((replica) => [
    ...series.slice(0, alerts).map(async (s, i) => {
      const answer = await replica.query(s, { alert: true, refId: `R${i}` });
      alertMs.push(Date.now() - started);
      return answer;
    }),
    ...series.map((s, i) => replica.query(s, { refId: `P${i}` })),
  ]);
  const mid = options.midRun
    ? new Promise((r) => setTimeout(r, options.midRun!.atMs)).then(() => options.midRun!.action())
    : undefined;
  const answers = await Promise.all(queries);
  await mid;
  const counts = upstream.front.perSeries();
  const answered = upstream.front.answeredPerSeries();
  return {
    errors: answers.map((a) => a.error ?? ''),
    calls: upstream.sim.calls().ListInsightsMetricData ?? 0,
    throttled: upstream.sim.throttled().ListInsightsMetricData ?? 0,
    perSeries: series.map((s) => counts.get(seriesCountKey(s)) ?? 0),
    answeredPerSeries: series.map((s) => answered.get(seriesCountKey(s)) ?? 0),
    alertMs,
  };
}
