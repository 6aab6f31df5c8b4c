/**
 * `npm run smoke:backend` — launch-and-query smoke tests of built executables, the way a host
 * would: cookie env, handshake line, then gRPC health, CheckHealth and QueryData (a 100-point
 * frame decoded with apache-arrow), then GRPCController/Shutdown and a clean exit.
 *
 * Default: the linux builds in .cache/protocol-echo (`npm run build:echo-backend`): amd64
 * natively, the amd64 launcher inside a musl-only root (chroot; Alpine-like, no glibc), and
 * arm64 under qemu-user-static both against Debian's arm64 glibc and through the bundled glibc
 * loader the launcher uses on musl systems. Or one file:
 *   npx tsx scripts/smoke-backend.ts <executable> [--via "<runner command>"]
 *   npx tsx scripts/smoke-backend.ts --dir dist --handshake-only
 * (any data source: only size and spawn-to-handshake time, median of 5, then SIGTERM).
 * Prints one line per run and exits non-zero if any failed.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { goplugin, health, launchPlugin, pluginv2 } from '../backend/sdk/testing/pluginClient';
import { prepareMuslRoot, type MuslRoot } from './muslRoot';
import { systemCommand, systemFile } from './systemPackages';

interface SmokeRun {
  label: string;
  /** Host path of the file under test (size, existence). */
  executable: string;
  /** What to spawn: the executable, behind a runner (qemu, a loader, chroot) if any. */
  command: string[];
  env?: Record<string, string>;
  /** Host directory of the plugin's filesystem root, when it runs in a chroot. */
  hostRoot?: string;
}

const root = resolve(__dirname, '..');
const cliArgs = process.argv.slice(2);
const dirIndex = cliArgs.indexOf('--dir');
const handshakeOnly = cliArgs.includes('--handshake-only');
const buildDir = dirIndex >= 0 ? resolve(cliArgs[dirIndex + 1]) : join(root, '.cache', 'protocol-echo');
const name = (suffix: string) => join(buildDir, `gpx_cloudtrail_insights_${suffix}`);

/** A run of `executable`, started through the `via` runner command when one is given. */
function runOf(label: string, executable: string, via: string[] = []): SmokeRun {
  return { label, executable, command: [...via, executable] };
}

async function handshakeTimes(run: SmokeRun): Promise<{ handshakeMs: number; queryMs: number }> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const plugin = await launchPlugin(run.command, run.env ?? {}, 60_000, { hostRoot: run.hostRoot });
    times.push(plugin.handshakeMs);
    plugin.child.kill('SIGTERM');
    const exit = await plugin.exited;
    plugin.close();
    if (exit.code !== 0) {
      throw new Error(`exit ${JSON.stringify(exit)} after SIGTERM`);
    }
  }
  times.sort((a, b) => a - b);
  return { handshakeMs: times[2], queryMs: NaN };
}

let muslRoot: MuslRoot | undefined;

function defaultRuns(): SmokeRun[] {
  const qemu = systemCommand('qemu-aarch64-static', 'qemu-user-static');
  // Debian's arm64 glibc, where qemu -L finds the loader the arm64 build asks for.
  const arm64Glibc = '/usr/aarch64-linux-gnu';
  systemFile(join(arm64Glibc, 'lib', 'ld-linux-aarch64.so.1'), 'libc6-arm64-cross');
  // Last: it mounts, and main() unmounts only once the runs are done.
  muslRoot = prepareMuslRoot(buildDir);
  const arm64Runtime = join(buildDir, 'glibc_linux_arm64');
  return [
    runOf('linux/amd64 launcher (glibc host)', name('linux_amd64')),
    runOf('linux/amd64 glibc build directly', name('linux_amd64_glibc')),
    {
      label: 'linux/amd64 launcher in a musl-only root',
      executable: name('linux_amd64'),
      // chroot runs the copy bind-mounted at /plugin; the host path is still checked for existence and size.
      command: muslRoot.command(basename(name('linux_amd64'))),
      // The socket goes in the root's /tmp, which the host reaches under the root's path.
      env: { PATH: '/bin:/usr/bin', PLUGIN_UNIX_SOCKET_DIR: '/tmp' },
      hostRoot: muslRoot.path,
    },
    runOf('linux/arm64 glibc build (qemu, Debian arm64 glibc)', name('linux_arm64_glibc'), [qemu, '-L', arm64Glibc]),
    runOf('linux/arm64 via bundled glibc loader (qemu; the musl path)', name('linux_arm64_glibc'), [
      qemu,
      join(arm64Runtime, 'ld-linux-aarch64.so.1'),
      '--library-path',
      arm64Runtime,
    ]),
  ];
}

async function smoke(run: SmokeRun): Promise<{ handshakeMs: number; queryMs: number }> {
  const plugin = await launchPlugin(run.command, run.env ?? {}, 60_000, { hostRoot: run.hostRoot });
  try {
    const serving = await plugin.call(health.Health, 'check', { service: 'plugin' });
    if ((serving as health.HealthCheckResponse).status !== health.HealthCheckResponse_ServingStatus.SERVING) {
      throw new Error('health service is not SERVING');
    }
    const settings = { uid: 'smoke', name: 'Smoke', lastUpdatedMS: 1n };
    const checked = (await plugin.call(pluginv2.Diagnostics, 'checkHealth', {
      pluginContext: { dataSourceInstanceSettings: settings },
    })) as pluginv2.CheckHealthResponse;
    if (checked.status !== pluginv2.CheckHealthResponse_HealthStatus.OK) {
      throw new Error(`CheckHealth: ${checked.message}`);
    }
    const started = performance.now();
    const answer = (await plugin.call(pluginv2.Data, 'queryData', {
      pluginContext: { dataSourceInstanceSettings: settings },
      queries: [
        {
          refId: 'A',
          timeRange: { fromEpochMS: 1_764_000_000_000n, toEpochMS: 1_764_006_000_000n },
          json: new TextEncoder().encode('{"points":100}'),
        },
      ],
    })) as pluginv2.QueryDataResponse;
    const queryMs = performance.now() - started;
    const table = tableFromIPC(answer.responses.A.frames[0]);
    const lastNs = table.getChild('time')!.data[0].values.at(-1) as bigint;
    if (answer.responses.A.status !== 200 || table.numRows !== 100 || lastNs !== 1_764_006_000_000n * 1_000_000n) {
      throw new Error(`unexpected QueryData answer: status ${answer.responses.A.status}, ${table.numRows} rows`);
    }
    await plugin.call(goplugin.GRPCController, 'shutdown', {});
    const exit = await Promise.race([plugin.exited, new Promise<null>((r) => setTimeout(() => r(null), 3_000))]);
    if (!exit || exit.code !== 0) {
      throw new Error(`did not exit cleanly after Shutdown: ${JSON.stringify(exit)}`);
    }
    return { handshakeMs: plugin.handshakeMs, queryMs };
  } finally {
    plugin.close();
    plugin.child.kill('SIGKILL');
  }
}

async function main() {
  const args = cliArgs;
  const viaIndex = args.indexOf('--via');
  const runs: SmokeRun[] =
    args.length > 0 && !args[0].startsWith('--')
      ? [runOf(args[0], resolve(args[0]), viaIndex >= 0 ? args[viaIndex + 1].split(' ') : [])]
      : defaultRuns();
  let failed = 0;
  for (const run of runs) {
    if (!existsSync(run.executable)) {
      failed++;
      console.log(`FAIL ${run.label}: ${run.executable} missing (build it first)`);
      continue;
    }
    const mb = (statSync(run.executable).size / 1e6).toFixed(1);
    try {
      const { handshakeMs, queryMs } = await (handshakeOnly ? handshakeTimes(run) : smoke(run));
      const query = Number.isNaN(queryMs) ? '' : `, QueryData ${queryMs.toFixed(1)} ms`;
      console.log(`ok   ${run.label}: ${mb} MB, handshake ${handshakeMs.toFixed(0)} ms${query}`);
    } catch (error) {
      failed++;
      const message = (error as Error).message.split('\n').slice(0, 3).join(' | ');
      console.log(`FAIL ${run.label}: ${message}`);
    }
  }
  muslRoot?.cleanup();
  process.exit(failed ? 1 : 0);
}

void main();
