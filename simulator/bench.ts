// Benchmark: how long the simulator takes to answer the largest pages, measured through the real SDK
// and, side by side, the pure data generation inside it. Run: npm run bench:simulator
import {
  ListInsightsMetricDataCommand,
  LookupEventsCommand,
  type ListInsightsMetricDataCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { startSimulator } from './index';
import { cloudTrail, FIXED_NOW } from './testSupport';
import { World, bucketValues } from './data/world';

const DAY = 86_400_000;
const RUNS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const sim = await startSimulator({ now: () => FIXED_NOW, quotas: false, seed: 'bench' });
  const client = cloudTrail(sim);
  const world = new World('bench');
  const series = world.find(sim.accountIdFor('AKIATESTSIMULATOR01'), 'us-east-1', {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'CreateTags',
    insightType: 'ApiCallRateInsight',
  })!;
  const base: ListInsightsMetricDataCommandInput = {
    EventSource: 'ec2.amazonaws.com',
    EventName: 'CreateTags',
    InsightType: 'ApiCallRateInsight',
  };
  const cases: Array<[string, number, number, 'FillWithZeros' | 'NonZeroData']> = [
    ['15 d @ 60 s (21,600 points)', 60, 15, 'FillWithZeros'],
    ['15 d @ 60 s NonZeroData', 60, 15, 'NonZeroData'],
    ['63 d @ 300 s (18,144 points)', 300, 63, 'FillWithZeros'],
    ['90 d @ 3600 s (2,160 points)', 3600, 90, 'FillWithZeros'],
  ];
  console.log(`median of ${RUNS} runs, ms     | via SDK+HTTP | data only | points`);
  for (const [label, Period, days, DataType] of cases) {
    const StartTime = new Date(FIXED_NOW - days * DAY);
    let points = 0;
    const viaSdk = await time(async () => {
      const out = await client.send(new ListInsightsMetricDataCommand({ ...base, Period, StartTime, DataType }));
      points = out.Values!.length;
    });
    const dataOnly = await time(() => bucketValues(series, StartTime.getTime(), Period, (days * 86_400) / Period));
    console.log(
      `${label.padEnd(31)}| ${viaSdk.toFixed(1).padStart(12)} | ${dataOnly.toFixed(1).padStart(9)} | ${points}`
    );
  }
  const lookup = await time(async () => {
    let token: string | undefined;
    do {
      token = (await client.send(new LookupEventsCommand({ EventCategory: 'insight', NextToken: token }))).NextToken;
    } while (token);
  });
  console.log(`LookupEvents, all Insights pages (90 d): ${lookup.toFixed(1)} ms`);
  await sim.stop();
}

void main();
