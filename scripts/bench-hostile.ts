/**
 * `npm run bench:hostile`: peak memory while the endpoint sends an oversized page (the simulator's
 * `corruptPage: 'oversized'`: 3,000,000 points, ~40 MB of JSON, streamed without Content-Length).
 *
 * 1. The BUILT plugin over gRPC (run `npm run build:backend` first): peak RSS (VmHWM) after a
 *    normal query, then after ROUNDS queries answered with oversized pages.
 * 2. Side by side, each in a fresh node process: one direct SDK call to the same page without our
 *    response guard (what the SDK alone does) and with it (`ClientPool`'s client setup).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { CloudTrailClient, ListInsightsMetricDataCommand } from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../simulator';
import { responseGuard } from '../backend/cloudtrail/aws/responseGuard';
import { HOUR_MS, PluginUnderTest, seriesQuery, type DataSourceConfig } from '../backend/cloudtrail/e2e/harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS) || 5;
const KEYS = { accessKeyId: 'AKIDBENCHHOSTILE', secretAccessKey: 'bench-hostile-secret' };
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

/** Peak and current resident set of a process, in KB, from /proc (Linux). */
function memoryOf(pid: number): { peakKb: number; rssKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakKb: field('VmHWM'), rssKb: field('VmRSS') };
}

/** Child mode: one SDK call to `url`, then print this process's peak RSS in KB. */
async function directCall(url: string, guarded: boolean): Promise<void> {
  const client = new CloudTrailClient({ endpoint: url, region: 'us-east-1', maxAttempts: 1, credentials: KEYS });
  if (guarded) {
    client.middlewareStack.use(responseGuard);
  }
  let outcome = 'accepted';
  try {
    const page = await client.send(
      new ListInsightsMetricDataCommand({
        EventSource: 'ec2.amazonaws.com',
        EventName: 'RunInstances',
        InsightType: 'ApiCallRateInsight',
        Period: 60,
        StartTime: new Date(Date.now() - 3 * HOUR_MS),
      })
    );
    outcome = `accepted ${page.Values?.length} points`;
  } catch (error) {
    outcome = `refused (${(error as Error).name})`;
  }
  console.log(JSON.stringify({ peakKb: process.resourceUsage().maxRSS, outcome }));
}

/** Asynchronously: the simulator answering the child runs in this process. */
async function directInChild(url: string, guarded: boolean): Promise<{ peakKb: number; outcome: string }> {
  const { stdout } = await promisify(execFile)(
    'npx',
    ['tsx', __filename, '--direct', url, guarded ? 'guarded' : 'bare'],
    {
      encoding: 'utf8',
    }
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

async function main(): Promise<void> {
  const sim = await startSimulator({ seed: 'bench-hostile', quotas: false, credentials: [KEYS] });
  const plugin = await PluginUnderTest.launch();
  try {
    const ds: DataSourceConfig = {
      jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: sim.url },
      secure: { accessKey: KEYS.accessKeyId, secretKey: KEYS.secretAccessKey },
    };
    const series = sim.catalog('us-east-1').series;
    const query = async (i: number) => {
      const now = Date.now();
      const answers = await plugin.query(ds, [
        { refId: 'A', json: seriesQuery(series[i % series.length]), fromMs: now - 3 * HOUR_MS, toMs: now },
      ]);
      return answers.A;
    };
    const pid = plugin.plugin.child.pid!;
    await query(0);
    const before = memoryOf(pid);
    sim.setFaults({ corruptPage: 'oversized' });
    let lastError = '';
    for (let i = 1; i <= ROUNDS; i++) {
      lastError = (await query(i)).error;
    }
    const after = memoryOf(pid);
    console.log(`Plugin (built executable, pid ${pid}) while the endpoint sends ${ROUNDS} oversized pages:`);
    console.log(`  peak RSS after a normal query      ${mb(before.peakKb).padStart(10)}`);
    console.log(`  peak RSS after the oversized pages ${mb(after.peakKb).padStart(10)}  (RSS now ${mb(after.rssKb)})`);
    console.log(`  growth of the peak                 ${mb(after.peakKb - before.peakKb).padStart(10)}`);
    console.log(`  each query answered: ${lastError}`);

    const bare = await directInChild(sim.url, false);
    const guarded = await directInChild(sim.url, true);
    console.log('One direct SDK call to the oversized page, each in a fresh node process:');
    console.log(`  SDK alone            peak RSS ${mb(bare.peakKb).padStart(10)}  ${bare.outcome}`);
    console.log(`  SDK + responseGuard  peak RSS ${mb(guarded.peakKb).padStart(10)}  ${guarded.outcome}`);
    console.log(`  ratio                ${(bare.peakKb / guarded.peakKb).toFixed(1)}×`);
  } finally {
    await plugin.stop();
    await sim.stop();
  }
}

const direct = process.argv.indexOf('--direct');
if (direct >= 0) {
  process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING = '1';
  directCall(process.argv[direct + 1], process.argv[direct + 2] === 'guarded').catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
