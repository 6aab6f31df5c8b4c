/**
 * `npm run bench:protocol` — one run, numbers side by side:
 *  - encodeFrame alone for a 21,600-point frame (15 days of 1-minute points) in this process;
 *  - QueryData round trip for the same frame through gRPC, against the compiled echo executable
 *    (.cache/protocol-echo, `npm run build:echo-backend`) and against the same code under Node;
 *  - frame bytes, handshake time, idle RSS and RSS after the load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeFrame } from '../backend/sdk/arrowEncoder';
import { seriesFrame } from '../backend/sdk/testing/echoInstance';
import { goplugin, launchPlugin, pluginv2, type LaunchedPlugin } from '../backend/sdk/testing/pluginClient';

const POINTS = 21_600;
const ITERATIONS = 40;
/** Unmeasured runs first (JIT, connections). */
const WARMUP = 5;
const TO_MS = 1_764_000_000_000;
const root = resolve(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median time of ITERATIONS runs of `work`, after WARMUP runs that are not timed. */
async function medianMs(work: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const started = performance.now();
    await work();
    if (i >= WARMUP) {
      times.push(performance.now() - started);
    }
  }
  return median(times);
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function roundTrips(plugin: LaunchedPlugin): Promise<{ ms: number; bytes: number }> {
  const request = {
    pluginContext: { dataSourceInstanceSettings: { uid: 'bench', lastUpdatedMS: 1n } },
    queries: [
      {
        refId: 'A',
        timeRange: { fromEpochMS: BigInt(TO_MS - POINTS * 60_000), toEpochMS: BigInt(TO_MS) },
        json: new TextEncoder().encode(JSON.stringify({ points: POINTS })),
      },
    ],
  };
  let bytes = 0;
  const ms = await medianMs(async () => {
    const res = (await plugin.call(pluginv2.Data, 'queryData', request)) as pluginv2.QueryDataResponse;
    bytes = res.responses.A.frames[0].byteLength;
    if (res.responses.A.status !== 200) {
      throw new Error(res.responses.A.error);
    }
  });
  return { ms, bytes };
}

async function measureServer(label: string, command: string[]) {
  const handshakes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const probe = await launchPlugin(command);
    handshakes.push(probe.handshakeMs);
    await probe.call(goplugin.GRPCController, 'shutdown', {});
    await probe.exited;
    probe.close();
  }
  const plugin = await launchPlugin(command);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const idle = rssMb(plugin.child.pid!);
  const { ms, bytes } = await roundTrips(plugin);
  const loaded = rssMb(plugin.child.pid!);
  await plugin.call(goplugin.GRPCController, 'shutdown', {});
  await plugin.exited;
  plugin.close();
  return { label, handshakeMs: median(handshakes), roundTripMs: ms, bytes, idleRssMb: idle, loadedRssMb: loaded };
}

async function main() {
  const frame = seriesFrame(POINTS, TO_MS, 'A');
  let frameBytes = 0;
  const encodeMs = await medianMs(() => {
    frameBytes = encodeFrame(frame).byteLength;
  });

  const servers: Array<[string, string[]]> = [];
  const executable = join(root, '.cache', 'protocol-echo', 'gpx_cloudtrail_insights_linux_amd64_glibc');
  if (existsSync(executable)) {
    servers.push(['compiled executable (bun)', [executable]]);
  } else {
    console.log(`(no ${executable}; run npm run build:echo-backend to include the compiled executable)`);
  }
  servers.push([
    'same code under node (tsx)',
    [process.execPath, '--import', 'tsx', join(root, 'backend/sdk/testing/echoMain.ts')],
  ]);

  console.log(`QueryData benchmark: ${POINTS.toLocaleString('en')}-point frame, median of ${ITERATIONS} runs`);
  console.log(
    `  encodeFrame alone (node, this process): ${encodeMs.toFixed(2)} ms, ${frameBytes.toLocaleString('en')} frame bytes`
  );
  for (const [label, command] of servers) {
    const r = await measureServer(label, command);
    console.log(`  ${r.label}:`);
    console.log(
      `    QueryData round trip through gRPC: ${r.roundTripMs.toFixed(2)} ms = ${(r.roundTripMs / encodeMs).toFixed(1)}x encoding alone`
    );
    console.log(`    frame bytes received: ${r.bytes.toLocaleString('en')}`);
    console.log(`    handshake (spawn to handshake line, median of 3): ${r.handshakeMs.toFixed(0)} ms`);
    console.log(
      `    RSS idle: ${r.idleRssMb.toFixed(1)} MB, after ${WARMUP + ITERATIONS} queries: ${r.loadedRssMb.toFixed(1)} MB`
    );
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
