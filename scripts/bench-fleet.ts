/**
 * `npm run bench:fleet`: a fleet of accounts through the BUILT executable (run
 * `npm run build:backend -- --only linux` first). 50 accounts × 2 regions × 10 series (1,000
 * series; each account its own access key and data source, the simulator at its real per-account
 * quotas: ListInsightsMetricData 1 call per second per account and region), as Grafana would send:
 * every series has an alert rule (evaluated every 60 s) and sits on its account's dashboard
 * (20 panels, refreshed every 30 s), all starting cold at once; then a steady phase while the
 * background refresh keeps the series warm.
 *
 * 1. One replica alone.
 * 2. Three replicas sharing a Redis Cluster (3 masters, started here), each sent the same load
 *    (every replica evaluates every alert rule; dashboards are open on each).
 *
 * For each it prints: ListInsightsMetricData calls in the cold round against the distinct series,
 * throttled calls and query errors (cold and steady), the slowest alert and how late the latest
 * was after its quota slot (its rank among its account and region's alerts × 1.1 s), peak RSS per
 * replica, the background refresh's work (calls, series tracked, lag), and Redis commands per
 * query. The simulator runs as its own process (`npx tsx simulator/cli.ts`), so the load generator
 * does not delay its clock. FLEET_ACCOUNTS and FLEET_STEADY_S shrink the run (defaults 50, 120);
 * FLEET_PHASES=single or cluster runs one phase.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesInfo } from '../simulator';
import { PluginUnderTest, seriesQuery, type DataSourceConfig, HOUR_MS } from '../backend/cloudtrail/e2e/harness';
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
    const child = spawn(
      join(root, 'node_modules', '.bin', 'tsx'),
      ['simulator/cli.ts', '--port', String(port), '--seed', 'fleet', '--credentials', credentials, '--quiet'],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }
    );
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

/** Peak resident set of a process (VmHWM), MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return Number(line?.split(' ').pop() ?? 0);
}

interface Round {
  alertMs: Map<string, number[]>;
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
  const alertMs = new Map<string, number[]>();
  const errors: string[] = [];
  let queries = 0;
  const now = Date.now();
  const spec = (t: Target, refId: string, alert: boolean) => ({
    refId,
    json: { ...seriesQuery(t.series), region: t.region },
    // Alert rules look at the last hour, dashboards at the last 6 h (both 300 s buckets).
    fromMs: now - (alert ? HOUR_MS : 6 * HOUR_MS),
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
        calls.push(
          replica
            .query(ds, [spec(t, 'A', true)], { headers: { FromAlert: 'true' }, deadlineMs: 30_000 })
            .then((answer) => {
              const ms = performance.now() - started;
              const list = alertMs.get(t.quota) ?? [];
              list.push(ms);
              alertMs.set(t.quota, list);
              if (answer.A.error) {
                errors.push(`alert ${t.quota}: ${answer.A.error}`);
              }
            })
        );
      }
      if (what.dashboards) {
        queries++;
        calls.push(
          replica.query(ds, [spec(t, 'P', false)], { deadlineMs: 30_000 }).then((answer) => {
            if (answer.P.error) {
              errors.push(`panel ${t.quota}: ${answer.P.error}`);
            }
          })
        );
      }
    }
  }
  await Promise.all(calls.map((c) => c.catch((e) => void errors.push(String(e)))));
  return { alertMs, errors, queries, wallMs: performance.now() - started };
}

/** How late the latest alert was after its quota slot: per quota, the k-th answered by k × 1.1 s. */
function alertLateness(r: Round, replicas: number): { slowestMs: number; lateMs: number } {
  let slowestMs = 0;
  let lateMs = 0;
  for (const times of r.alertMs.values()) {
    // Every replica asks the same series: their k-th answers share the k-th call.
    const sorted = [...times].sort((a, b) => a - b);
    sorted.forEach((ms, i) => {
      slowestMs = Math.max(slowestMs, ms);
      lateMs = Math.max(lateMs, ms - Math.floor(i / replicas) * SLOT_MS);
    });
  }
  return { slowestMs, lateMs };
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
    const cold = await round(replicas, targets, sim.url, { alerts: true, dashboards: true });
    const coldCounts = await sim.counts();
    const coldAlerts = alertLateness(cold, replicas.length);

    // Steady: dashboards every 30 s, alert rules every 60 s, the refresher in the background.
    const steadyStart = Date.now();
    let steadyAlerts = { slowestMs: 0, lateMs: 0 };
    const steadyErrors: string[] = [];
    let steadyQueries = 0;
    for (let tick = 1; tick * DASHBOARD_REFRESH_MS <= STEADY_MS; tick++) {
      await sleep(Math.max(0, steadyStart + tick * DASHBOARD_REFRESH_MS - Date.now()));
      const alerts = (tick * DASHBOARD_REFRESH_MS) % ALERT_INTERVAL_MS === 0;
      const r = await round(replicas, targets, sim.url, { alerts, dashboards: true });
      steadyErrors.push(...r.errors);
      steadyQueries += r.queries;
      const lateness = alertLateness(r, replicas.length);
      steadyAlerts = {
        slowestMs: Math.max(steadyAlerts.slowestMs, lateness.slowestMs),
        lateMs: Math.max(steadyAlerts.lateMs, lateness.lateMs),
      };
    }
    const total = await sim.counts();
    const redisAfter = await redisCommands(cluster);
    const texts = await Promise.all(replicas.map((r) => r.metricsText()));
    const background = texts.reduce(
      (sum, t) => sum + metric(t, 'cloudtrail_insights_background_calls_total', '{outcome="ok"}'),
      0
    );
    const tracked = Math.max(...texts.map((t) => metric(t, 'cloudtrail_insights_refresh_series_tracked')));
    const lag = Math.max(...texts.map((t) => metric(t, 'cloudtrail_insights_refresh_lag_seconds')));
    const fallbacks = texts.reduce((sum, t) => sum + metric(t, 'cloudtrail_insights_redis_fallbacks_total'), 0);
    const rss = replicas.map((r) => peakRssMb(r.plugin.child.pid!));
    // Keeping N series fresh costs about one call per series every 55 s (README, background refresh).
    const needed = Math.round((targets.length * STEADY_MS) / 55_000);
    const queries = cold.queries + steadyQueries;

    console.log(`\n${name}`);
    console.log(
      `  cold round: ${coldCounts.calls} ListInsightsMetricData calls for ${targets.length} distinct series, ${coldCounts.throttled} throttled, ${cold.errors.length} query errors, ${(cold.wallMs / 1000).toFixed(1)} s (${cold.queries} queries)`
    );
    console.log(
      `  alerts, cold: slowest ${(coldAlerts.slowestMs / 1000).toFixed(2)} s, at most ${(coldAlerts.lateMs / 1000).toFixed(2)} s after its quota slot`
    );
    console.log(
      `  steady ${STEADY_MS / 1000} s (dashboards every 30 s, alert rules every 60 s): ${total.calls - coldCounts.calls} calls (background refresh ${Math.round(background)}), ${total.throttled - coldCounts.throttled} throttled, ${steadyErrors.length} query errors (${steadyQueries} queries); slowest alert ${(steadyAlerts.slowestMs / 1000).toFixed(2)} s`
    );
    console.log(
      `  refresh work: ${Math.round(background)} background calls of the ~${needed} that keep ${targets.length} series fresh for ${STEADY_MS / 1000} s (${Math.round((100 * background) / Math.max(1, needed))}%), ${tracked} series tracked per replica at most, lag ${lag} s`
    );
    console.log(`  peak RSS per replica: ${rss.map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`);
    if (cluster) {
      const commands = redisAfter.commands - redisBefore.commands;
      console.log(
        `  Redis: ${commands} commands for ${queries} queries (${(commands / queries).toFixed(1)} per query), ${redisAfter.memoryMb.toFixed(1)} MB used, ${fallbacks} fallbacks`
      );
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
