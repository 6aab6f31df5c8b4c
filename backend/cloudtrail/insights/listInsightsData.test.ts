/**
 * ListInsightsData through the real AWS SDK against the simulator over HTTP (its data clock fixed):
 * the data-events trail's Insights by ARN or by name, every page, paced at the operation's own 2/s
 * quota, and what the page bound and a trail name of an unknown account become.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { AccountScope } from '../core/keys';
import type { CallScope } from '../core/calls';
import { pacingOf } from '../pacing/quotas';
import { ManualGate } from '../testing/manualGate';
import { listTrailInsights, partitionOf, proveTrailInsightsAccess, trailArnOf } from './listInsightsData';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const KEYS = { accessKeyId: 'AKIDUNITDATAINSIGHTS', secretAccessKey: 'unit-data-insights-secret' };
const budget = { deadlineMs: () => Date.now() + 30_000 };

let sim: RunningSimulator;
let client: CloudTrailClient;
let accountId: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'list-insights-data', now: () => NOW, quotas: false, credentials: [KEYS] });
  client = new CloudTrailClient({ region: 'us-east-1', endpoint: sim.url, credentials: KEYS, maxAttempts: 1 });
  accountId = sim.accountIdFor(KEYS.accessKeyId);
});

afterAll(async () => {
  client?.destroy();
  await sim?.stop();
});

const scopeAs = (principal: AccountScope['principal']): CallScope => ({
  account: new AccountScope(principal, 'us-east-1', sim.url),
  endpointLabel: sim.url,
});

test("the data-events trail's Insights by ARN: every page, paired, each call on ListInsightsData's own 2/s quota", async () => {
  const gate = new ManualGate();
  const { dataEvents } = sim.catalog('us-east-1', accountId);
  sim.resetCounts();
  const list = await listTrailInsights(
    client,
    scopeAs({ kind: 'account', accountId }),
    pacingOf(gate),
    dataEvents.trailArn,
    NOW,
    budget
  );
  const episodes = dataEvents.episodes;
  // Start and End events of every episode of the last 90 days: more than one page of 50.
  const events = episodes.length + episodes.filter((e) => e.endMs <= NOW).length;
  expect(events).toBeGreaterThan(50);
  expect(list.pages).toBe(Math.ceil(events / 50));
  expect(list.truncated).toBe(false);
  expect(sim.calls()).toEqual({ ListInsightsData: list.pages });
  expect(gate.calls.map((c) => [c.quota.split('|').at(-1), c.tps])).toEqual(
    Array.from({ length: list.pages! }, () => ['ListInsightsData', 2])
  );
  // One Insight per episode, newest first, with the data event it watched (S3, Lambda, DynamoDB).
  expect(list.insights.map((i) => [i.startMs, i.endMs, i.eventSource, i.eventName])).toEqual(
    [...episodes].reverse().map((e) => [e.startMs, e.endMs <= NOW ? e.endMs : undefined, e.eventSource, e.eventName])
  );
  expect(new Set(list.insights.map((i) => i.eventSource))).toEqual(
    new Set(dataEvents.series.map((s) => s.eventSource))
  );
});

test('a name is the trail of the proven account in the query region; unknown accounts ask DescribeTrails', async () => {
  const { dataEvents } = sim.catalog('us-east-1', accountId);
  const pacing = pacingOf(new ManualGate());
  sim.resetCounts();
  expect(await trailArnOf(client, scopeAs({ kind: 'account', accountId }), pacing, 'data-events', budget)).toBe(
    dataEvents.trailArn
  );
  expect(sim.calls()).toEqual({});
  const unknown = scopeAs({ kind: 'credentials', hash: 'abc' });
  expect(await trailArnOf(client, unknown, pacing, 'data-events', budget)).toBe(dataEvents.trailArn);
  expect(sim.calls()).toEqual({ DescribeTrails: 1 });
  await expect(trailArnOf(client, unknown, pacing, 'no-such-trail', budget)).rejects.toMatchObject({
    status: 400,
    message: expect.stringContaining('There is no trail named "no-such-trail" in us-east-1'),
  });
  expect(partitionOf('cn-north-1')).toBe('aws-cn');
  expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
  expect(partitionOf('eu-west-1')).toBe('aws');
});

test('the page bound cuts the list (and says so); a trail without data events lists nothing', async () => {
  const pacing = pacingOf(new ManualGate());
  const scope = scopeAs({ kind: 'account', accountId });
  const cut = await listTrailInsights(client, scope, pacing, 'data-events', NOW, budget, 1);
  expect(cut).toMatchObject({ pages: 1, truncated: true });
  const none = await listTrailInsights(client, scope, pacing, 'management-events', NOW, budget);
  expect(none).toMatchObject({ insights: [], pages: 1, truncated: false });
});

test('proving access asks for one event; a denial names cloudtrail:ListInsightsData', async () => {
  const pacing = pacingOf(new ManualGate());
  const scope = scopeAs({ kind: 'account', accountId });
  sim.resetCounts();
  await proveTrailInsightsAccess(client, scope, pacing, 'data-events', NOW, budget);
  expect(sim.calls()).toEqual({ ListInsightsData: 1 });
  sim.setFaults({ accessDenied: { operations: ['ListInsightsData'] } });
  try {
    await expect(proveTrailInsightsAccess(client, scope, pacing, 'data-events', NOW, budget)).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(
        /^Access denied for ListInsightsData: grant the IAM action cloudtrail:ListInsightsData /
      ),
    });
  } finally {
    sim.setFaults({ accessDenied: false });
  }
});
