/**
 * `npm run bench:fleet`: a fleet of accounts through the BUILT executable (run
 * `npm run build:backend -- --only linux` first). 50 accounts × 2 regions × 10 series (1,000
 * series; each account its own access key and data source, the simulator at its real per-account
 * quotas: ListInsightsMetricData 1 call per second per account and region), as Grafana would send:
 * every series has an alert rule (its account and region's rule group is evaluated every 60 s)
 * and sits on its account's dashboard (20 panels, refreshed every 30 s). The cold round asks for
 * everything at once (a restart with every rule due and every dashboard open); then a steady phase
 * in which, as Grafana runs them, rule groups and dashboards start spread over their interval
 * while the background refresh keeps the series warm.
 *
 * 1. One replica alone.
 * 2. Three replicas sharing a Redis Cluster (3 masters, started here), each sent the same load
 *    (every replica evaluates every alert rule; dashboards are open on each).
 *
 * For each it prints: ListInsightsMetricData calls in the cold round against the distinct series,
 * throttled calls and query errors (cold and steady), the slowest alert and how late the latest
 * was after its quota slot (its rank among its account and region's alerts × 1.1 s), peak RSS per
 * replica, the background refresh's work (calls, series tracked, lag), and Redis commands per
 * query. The simulator runs as its own process (`npx tsx simulator/cli.ts`), and it and the Redis
 * nodes get the CPU before the replicas and the load generator (nice -10; FLEET_SIMULATOR_NICE=0
 * turns that off): AWS and a managed Redis run on machines of their own, and on a small shared
 * machine a late simulator would count calls sent 1.1 s apart as closer than 1 s. FLEET_ACCOUNTS and FLEET_STEADY_S shrink the run (defaults 50, 120);
 * FLEET_PHASES=single or cluster runs one phase; FLEET_SAME_RANGE=1 gives the alert rules the
 * dashboards' 6 h instead of 1 h (then no alert and panel of a series can need two calls).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesInfo } from '../simulator';
import {
  PluginUnderTest,
  pluginContext,
  seriesQuery,
  type DataSourceConfig,
  type QuerySpec,
  HOUR_MS,
} from '../backend/cloudtrail/e2e/harness';
import { pluginv2 } from '../backend/sdk/testing/pluginClient';
import { startRedisCluster, type RunningCluster } from '../backend/cloudtrail/coordination/redis/testing/redisCluster';
import { freePort } from '../backend/cloudtrail/coordination/redis/testing/redisServer';

const ACCOUNTS = Number(process.env.FLEET_ACCOUNTS ?? 50);
const REGIONS = ['us-east-1', 'eu-west-1'];
const SERIES_PER_REGION = 10;
const STEADY_MS = Number(process.env.FLEET_STEADY_S ?? 120) * 1_000;
const DASHBOARD_REFRESH_MS = 30_000;
const ALERT_INTERVAL_MS = 60_000;
/** The plugin's spacing of calls under a 1 call/s quota (1/TPS + 10%). */
const SLOT_MS = 1_100;
const REPLICAS = 3;
const root = join(__dirname, '..');

interface Account {
  index: number;
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

interface Target {
  account: Account;
  region: string;
  series: SeriesInfo;
  /** Quota key: account + region. */
  quota: string;
}

const accounts: Account[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
  index: i,
  accountId: String(210_000_000_000 + i),
  accessKeyId: `AKIDFLEET${String(i).padStart(6, '0')}`,
  secretAccessKey: `fleet-secret-${i}-7a3e`,
}));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Simulator {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess
  ) {}

  static async start(): Promise<Simulator> {
    const port = await freePort();
    const credentials = accounts.map((a) => `${a.accessKeyId}:${a.secretAccessKey}:${a.accountId}`).join(',');
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const args = [
      'simulator/cli.ts',
      '--port',
      String(port),
      '--seed',
      'fleet',
      '--credentials',
      credentials,
      '--quiet',
    ];
    // AWS meters calls on its own machines, unaffected by the load under test: the simulator gets
    // the CPU first (when allowed to), so its quota clock is not late when the replicas are busy.
    const nice = process.env.FLEET_SIMULATOR_NICE ?? '-10';
    const child = spawn(nice === '0' ? tsx : 'nice', nice === '0' ? args : ['-n', nice, tsx, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    });
    return new Simulator(`http://127.0.0.1:${port}`, child);
  }

  private async control(path: string, method = 'GET'): Promise<any> {
    const response = await fetch(`${this.url}/__simulator/${path}`, { method });
    return response.json();
  }

  catalog(region: string, accountId: string): Promise<{ series: SeriesInfo[] }> {
    return this.control(`catalog?region=${region}&accountId=${accountId}`);
  }

  async counts(): Promise<{ calls: number; throttled: number }> {
    const { calls, throttled } = await this.control('calls');
    return { calls: calls.ListInsightsMetricData ?? 0, throttled: throttled.ListInsightsMetricData ?? 0 };
  }

  reset(): Promise<unknown> {
    return this.control('reset', 'POST');
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

function dataSource(account: Account, endpoint: string): DataSourceConfig {
  return {
    uid: `fleet-${account.index}`,
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint },
    secure: { accessKey: account.accessKeyId, secretKey: account.secretAccessKey },
  };
}

/** CPU time a process used so far (user + system), seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set of a process (VmHWM), MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return Number(line?.split(' ').pop() ?? 0);
}

/**
 * One query as Grafana sends it, answered with its error ('' when it answered): the frames are not
 * decoded, so the load generator stays light next to the replicas it measures.
 */
async function send(replica: PluginUnderTest, ds: DataSourceConfig, q: QuerySpec, alert: boolean): Promise<string> {
  const response: any = await replica.plugin.call(
    pluginv2.Data,
    'queryData',
    {
      pluginContext: pluginContext(ds),
      headers: alert ? { FromAlert: 'true' } : {},
      queries: [
        {
          refId: q.refId,
          queryType: '',
          maxDataPoints: BigInt(q.maxDataPoints ?? 1_000),
          intervalMS: BigInt(q.intervalMs ?? 300_000),
          timeRange: { fromEpochMS: BigInt(q.fromMs), toEpochMS: BigInt(q.toMs) },
          json: new TextEncoder().encode(JSON.stringify(q.json)),
        },
      ],
    },
    { deadlineMs: 30_000 }
  );
  const answer = response.responses[q.refId];
  return answer?.error || (answer?.frames?.length ? '' : 'no frame');
}

/** Series cache lookups of all replicas so far: local hits, and replicated store hits. */
async function lookups(replicas: PluginUnderTest[]): Promise<{ hits: number; replicated: number }> {
  const texts = await Promise.all(replicas.map((r) => r.metricsText()));
  const sum = (name: string, result: string) => texts.reduce((n, t) => n + metric(t, name, `{result="${result}"}`), 0);
  return {
    hits: sum('cloudtrail_insights_cache_lookups_total', 'hit'),
    replicated: sum('cloudtrail_insights_replicated_cache_lookups_total', 'hit'),
  };
}

interface Round {
  /** Per quota (account + region): when each alert query was sent and answered (ms into the round). */
  alertMs: Map<string, Array<{ sentMs: number; answeredMs: number }>>;
  errors: string[];
  queries: number;
  wallMs: number;
}

/** One evaluation of every alert rule and/or one refresh of every dashboard, on every replica. */
async function round(
  replicas: PluginUnderTest[],
  targets: Target[],
  endpoint: string,
  what: { alerts: boolean; dashboards: boolean }
): Promise<Round> {
  const started = performance.now();
  const alertMs: Round['alertMs'] = new Map();
  const errors: string[] = [];
  let queries = 0;
  const now = Date.now();
  const spec = (t: Target, refId: string, alert: boolean) => ({
    refId,
    json: { ...seriesQuery(t.series), region: t.region },
    // Alert rules look at the last hour, dashboards at the last 6 h (both 300 s buckets).
    fromMs: now - (alert && !process.env.FLEET_SAME_RANGE ? HOUR_MS : 6 * HOUR_MS),
    toMs: now,
    intervalMs: 300_000,
    maxDataPoints: 1_000,
  });
  const calls: Array<Promise<void>> = [];
  for (const replica of replicas) {
    for (const t of targets) {
      const ds = dataSource(t.account, endpoint);
      if (what.alerts) {
        queries++;
        const sentMs = performance.now() - started;
        calls.push(
          send(replica, ds, spec(t, 'A', true), true).then((error) => {
            const list = alertMs.get(t.quota) ?? [];
            list.push({ sentMs, answeredMs: performance.now() - started });
            alertMs.set(t.quota, list);
            if (error) {
              errors.push(`alert ${t.quota}: ${error}`);
            }
          })
        );
      }
      if (what.dashboards) {
        queries++;
        calls.push(
          send(replica, ds, spec(t, 'P', false), false).then((error) => {
            if (error) {
              errors.push(`panel ${t.quota}: ${error}`);
            }
          })
        );
      }
    }
  }
  await Promise.all(calls.map((c) => c.catch((e) => void errors.push(String(e)))));
  return { alertMs, errors, queries, wallMs: performance.now() - started };
}

/**
 * Alert latency under the quota. Per account and region (one quota of 1 call/s), the k-th call can
 * come no sooner than k slots (1.1 s) after that quota's first: an alert's slot is its quota's first
 * answer plus its rank × 1.1 s (each call answers one alert per replica). Returns the slowest alert
 * from when it was sent, how late the latest was after its slot, and the mean time per call of the
 * busiest quotas (1.1 s when the pacing does not drift).
 */
function alertLateness(r: Round, replicas: number): { slowestMs: number; lateMs: number; paceMs: number } {
  let slowestMs = 0;
  let lateMs = 0;
  const paces: number[] = [];
  for (const alerts of r.alertMs.values()) {
    const byAnswer = [...alerts].sort((a, b) => a.answeredMs - b.answeredMs);
    const first = byAnswer[0].answeredMs;
    byAnswer.forEach((a, i) => {
      slowestMs = Math.max(slowestMs, a.answeredMs - a.sentMs);
      lateMs = Math.max(lateMs, a.answeredMs - (first + Math.floor(i / replicas) * SLOT_MS));
    });
    const calls = Math.ceil(byAnswer.length / replicas);
    if (calls > 1) {
      paces.push((byAnswer[byAnswer.length - 1].answeredMs - first) / (calls - 1));
    }
  }
  const paceMs = paces.length ? paces.reduce((a, b) => a + b, 0) / paces.length : 0;
  return { slowestMs, lateMs, paceMs };
}

async function redisCommands(cluster: RunningCluster | undefined): Promise<{ commands: number; memoryMb: number }> {
  if (!cluster) {
    return { commands: 0, memoryMb: 0 };
  }
  let commands = 0;
  let memory = 0;
  for (const node of await cluster.masters()) {
    const client = cluster.client(node);
    try {
      await client.connect();
      const stats = await client.info('stats');
      const mem = await client.info('memory');
      commands += Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0);
      memory += Number(/used_memory:(\d+)/.exec(mem)?.[1] ?? 0);
    } finally {
      client.disconnect();
    }
  }
  return { commands, memoryMb: memory / 1024 / 1024 };
}

async function phase(
  name: string,
  sim: Simulator,
  targets: Target[],
  warmups: Target[],
  launch: () => Promise<PluginUnderTest[]>,
  cluster?: RunningCluster
) {
  const replicas = await launch();
  try {
    // Each replica proves every account's credentials once per region (sts:GetCallerIdentity and
    // one LookupEvents) before its first call: done here with a series outside the fleet, as a
    // Grafana running for a while has done long before (the proof lasts 15 minutes).
    await Promise.all(
      replicas.flatMap((r) =>
        warmups.map((w) =>
          r.query(dataSource(w.account, sim.url), [
            {
              refId: 'W',
              json: { ...seriesQuery(w.series), region: w.region },
              fromMs: Date.now() - HOUR_MS,
              toMs: Date.now(),
              intervalMs: 300_000,
            },
          ])
        )
      )
    );
    await sleep(2_000);
    await sim.reset();
    const redisBefore = await redisCommands(cluster);
    const cpuBefore = replicas.map((r) => cpuSeconds(r.plugin.child.pid!));
    const cold = await round(replicas, targets, sim.url, { alerts: true, dashboards: true });
    const coldCounts = await sim.counts();
    const coldAlerts = alertLateness(cold, replicas.length);
    const coldCpu = replicas.map((r, i) => cpuSeconds(r.plugin.child.pid!) - cpuBefore[i]);

    // Steady: as Grafana runs them, each account and region's rule group every 60 s and each
    // account's dashboard every 30 s, their start times spread over the interval (Grafana jitters
    // rule group evaluations over their interval by default; dashboards refresh from when they
    // were opened); the refresher in the background.
    const lookupsBefore = await lookups(replicas);
    const steadyStart = Date.now() + 1_000;
    const groups = [...new Set(targets.map((t) => t.quota))];
    const events: Array<{ atMs: number; targets: Target[]; alerts: boolean }> = [];
    groups.forEach((group, i) => {
      for (let at = (i * ALERT_INTERVAL_MS) / groups.length; at < STEADY_MS; at += ALERT_INTERVAL_MS) {
        events.push({ atMs: at, targets: targets.filter((t) => t.quota === group), alerts: true });
      }
    });
    accounts.forEach((account, i) => {
      for (let at = (i * DASHBOARD_REFRESH_MS) / accounts.length; at < STEADY_MS; at += DASHBOARD_REFRESH_MS) {
        events.push({ atMs: at, targets: targets.filter((t) => t.account === account), alerts: false });
      }
    });
    const steadyRounds = await Promise.all(
      events.map(async (e) => {
        await sleep(Math.max(0, steadyStart + e.atMs - Date.now()));
        return round(replicas, e.targets, sim.url, { alerts: e.alerts, dashboards: !e.alerts });
      })
    );
    const steadyErrors = steadyRounds.flatMap((r) => r.errors);
    const steadyQueries = steadyRounds.reduce((n, r) => n + r.queries, 0);
    const steadyLatencies = steadyRounds
      .flatMap((r) => [...r.alertMs.values()].flat())
      .map((a) => a.answeredMs - a.sentMs)
      .sort((a, b) => a - b);
    const steadyAlerts = {
      slowestMs: steadyLatencies[steadyLatencies.length - 1] ?? 0,
      p99Ms: steadyLatencies[Math.floor(steadyLatencies.length * 0.99)] ?? 0,
    };
    const total = await sim.counts();
    const lookupsAfter = await lookups(replicas);
    const steadyHits = lookupsAfter.hits - lookupsBefore.hits;
    const steadyReplicated = lookupsAfter.replicated - lookupsBefore.replicated;
    const redisAfter = await redisCommands(cluster);
    const texts = await Promise.all(replicas.map((r) => r.metricsText()));
    const background = texts.reduce(
      (sum, t) => sum + metric(t, 'cloudtrail_insights_background_calls_total', '{outcome="ok"}'),
      0
    );
    const tracked = Math.max(...texts.map((t) => metric(t, 'cloudtrail_insights_refresh_series_tracked')));
    const lag = Math.max(...texts.map((t) => metric(t, 'cloudtrail_insights_refresh_lag_seconds')));
    const fallbacks = texts.reduce((sum, t) => sum + metric(t, 'cloudtrail_insights_redis_fallbacks_total'), 0);
    const operations = texts.reduce((sum, t) => sum + metric(t, 'cloudtrail_insights_redis_operations_total'), 0);
    const rss = replicas.map((r) => peakRssMb(r.plugin.child.pid!));
    // Each series is renewed about 55 s after its last fetch (README, background refresh).
    const needed = tracked * Math.floor((cold.wallMs + STEADY_MS) / 55_000);
    const queries = cold.queries + steadyQueries;

    console.log(`\n${name}`);
    console.log(
      `  cold round: ${coldCounts.calls} ListInsightsMetricData calls for ${targets.length} distinct series, ${coldCounts.throttled} throttled, ${cold.errors.length} query errors, ${(cold.wallMs / 1000).toFixed(1)} s (${cold.queries} queries)`
    );
    console.log(`  CPU per replica in the cold round: ${coldCpu.map((c) => `${c.toFixed(1)} s`).join(', ')}`);
    console.log(
      `  alerts, cold: slowest ${(coldAlerts.slowestMs / 1000).toFixed(2)} s, at most ${(coldAlerts.lateMs / 1000).toFixed(2)} s after its quota slot (a call every ${(coldAlerts.paceMs / 1000).toFixed(2)} s per account and region)`
    );
    console.log(
      `  steady ${STEADY_MS / 1000} s (each rule group every 60 s, each dashboard every 30 s, spread over the interval): ${total.calls - coldCounts.calls} calls (background refresh ${Math.round(background)}), ${total.throttled - coldCounts.throttled} throttled, ${steadyErrors.length} query errors (${steadyQueries} queries); alerts: slowest ${(steadyAlerts.slowestMs / 1000).toFixed(2)} s, p99 ${(steadyAlerts.p99Ms / 1000).toFixed(2)} s`
    );
    console.log(
      `  refresh work: ${Math.round(background)} background calls for the ${needed} renewals due to keep the ${tracked} tracked series (the fleet and the warm-up's) fresh (${Math.round((100 * background) / Math.max(1, needed))}%), lag ${lag} s at the end; in the steady phase ${steadyHits} answers from a replica's own cache and ${steadyReplicated} from the replicated store, for ${steadyQueries} queries`
    );
    console.log(`  peak RSS per replica: ${rss.map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`);
    if (cluster) {
      const commands = redisAfter.commands - redisBefore.commands;
      console.log(
        `  Redis: ${(operations / queries).toFixed(1)} operations sent per query (${Math.round(operations)} for ${queries} queries, from the start), ${(commands / queries).toFixed(1)} commands executed per query (scripts' own included), ${redisAfter.memoryMb.toFixed(1)} MB used, ${fallbacks} fallbacks`
      );
    }
    const switches = replicas.flatMap((r) =>
      r.plugin
        .stderr()
        .split('\n')
        .filter((l) => l.includes('Redis unreachable'))
        .map((l) => JSON.parse(l).problem as string)
    );
    for (const problem of [...new Set(switches)]) {
      console.log(`  fallback: ${problem}`);
    }
    for (const error of [...cold.errors, ...steadyErrors].slice(0, 5)) {
      console.log(`  error: ${error}`);
    }
  } finally {
    await Promise.all(replicas.map((r) => r.stop().catch(() => undefined)));
  }
}

async function main() {
  const phases = (process.env.FLEET_PHASES ?? 'single,cluster').split(',');
  const sim = await Simulator.start();
  let cluster: RunningCluster | undefined;
  try {
    const targets: Target[] = [];
    const warmups: Target[] = [];
    for (const account of accounts) {
      for (const region of REGIONS) {
        const { series } = await sim.catalog(region, account.accountId);
        const pick = [
          ...series.filter((s) => s.insightType === 'ApiCallRateInsight').slice(0, SERIES_PER_REGION / 2),
          ...series.filter((s) => s.insightType === 'ApiErrorRateInsight').slice(0, SERIES_PER_REGION / 2),
        ];
        for (const s of pick) {
          targets.push({ account, region, series: s, quota: `${account.accountId}/${region}` });
        }
        const spare = series.find((s) => !pick.includes(s))!;
        warmups.push({ account, region, series: spare, quota: `${account.accountId}/${region}` });
      }
    }
    console.log(
      `Fleet: ${ACCOUNTS} accounts × ${REGIONS.length} regions × ${SERIES_PER_REGION} series = ${targets.length} series, an alert rule and a dashboard panel each, the simulator at its per-account quotas (1 call/s per account and region)`
    );
    const env = { GF_PLUGIN_LOG_LEVEL: 'warn' };
    if (phases.includes('single')) {
      await phase('One replica', sim, targets, warmups, async () => [await PluginUnderTest.launch(env)]);
    }
    if (phases.includes('cluster')) {
      cluster = await startRedisCluster({ masters: 3 });
      // Redis, like the simulator standing for AWS, runs on machines of its own in production.
      for (const node of cluster.nodes) {
        spawn('renice', ['-n', process.env.FLEET_SIMULATOR_NICE ?? '-10', '-p', String(node.pid())], {
          stdio: 'ignore',
        });
      }
      const shared = { ...env, GF_PLUGIN_REDIS_URL: cluster.url, GF_PLUGIN_REPLICAS: String(REPLICAS) };
      await sleep(2_000);
      await phase(
        `${REPLICAS} replicas on a Redis Cluster (3 masters)`,
        sim,
        targets,
        warmups,
        () => Promise.all(Array.from({ length: REPLICAS }, () => PluginUnderTest.launch(shared))),
        cluster
      );
    }
  } finally {
    await cluster?.stop();
    sim.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
