/**
 * Which list a scope reads, against the simulator over HTTP with the real SDK: management events from
 * LookupEvents, a trail's data events from ListInsightsData, each its own cache entry; and a list
 * another principal of the same account listed is shown only after these credentials proved
 * cloudtrail:ListInsightsData on the trail.
 */
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { AccountResolver } from '../aws/accounts';
import { ClientPool } from '../aws/clients';
import { authPolicy, type CloudTrailSettings } from '../aws/settings';
import { localCoordination } from '../coordination/localCoordination';
import { pacingOf } from '../pacing/quotas';
import { ManualGate } from '../testing/manualGate';
import { InsightCache } from './insightCache';
import { insightListReader } from './insightLists';

const ACCOUNT = '123456789012';
const ALICE = { accessKeyId: 'AKIDLISTSALICE', secretAccessKey: 'alice-secret', accountId: ACCOUNT };
const BOB = { accessKeyId: 'AKIDLISTSBOB', secretAccessKey: 'bob-secret', accountId: ACCOUNT };
const budget = { deadlineMs: () => Date.now() + 30_000 };

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'insight-lists', credentials: [ALICE, BOB], quotas: false });
});
afterAll(() => sim.stop());

let afterTest = () => {};
afterEach(() => {
  afterTest();
  afterTest = () => {};
});

const pool = (k: { accessKeyId: string; secretAccessKey: string }, accounts: AccountResolver) =>
  new ClientPool(
    {
      authType: 'keys',
      defaultRegion: 'us-east-1',
      accessKey: k.accessKeyId,
      secretKey: k.secretAccessKey,
      endpoint: sim.url,
    } satisfies CloudTrailSettings,
    authPolicy({}, {}),
    { pacing: pacingOf(new ManualGate()), accounts, hostEnv: process.env }
  );

test('management events and a trail’s data events are separate lists, each listed once per TTL', async () => {
  const cache = new InsightCache();
  const read = insightListReader(pool(ALICE, new AccountResolver()), {
    cache,
    coordination: localCoordination(new ManualGate()),
    now: Date.now,
  });
  const { dataEvents, episodes } = sim.catalog('us-east-1', ACCOUNT);
  sim.resetCounts();
  const management = await read('us-east-1', budget);
  const data = await read('us-east-1', budget, { trail: dataEvents.trailArn });
  expect(management.insights.length).toBeGreaterThan(0);
  expect(new Set(management.insights.map((i) => i.eventSource))).not.toContain('dynamodb.amazonaws.com');
  expect(management.insights.length).toBe(episodes.length);
  expect(data.insights.length).toBe(dataEvents.episodes.length);
  expect(cache.size).toBe(2);
  const calls = sim.calls();
  // ListInsightsData: the one-event proof, then the listing's pages.
  expect(calls.ListInsightsData).toBe(1 + data.pages!);
  // Read again within the TTL: no call at all, proof and list kept.
  sim.resetCounts();
  expect(await read('us-east-1', budget, { trail: dataEvents.trailArn })).toBe(data);
  expect(await read('us-east-1', budget)).toBe(management);
  expect(sim.calls()).toEqual({});
});

test('a list one principal listed is read by another of the same account only after its own ListInsightsData proof', async () => {
  const cache = new InsightCache();
  const accounts = new AccountResolver();
  const deps = { cache, coordination: localCoordination(new ManualGate()), now: Date.now };
  const alice = insightListReader(pool(ALICE, accounts), deps);
  const bob = insightListReader(pool(BOB, accounts), deps);
  const listed = await alice('us-east-1', budget, { trail: 'data-events' });

  // Bob's credentials are refused cloudtrail:ListInsightsData (once): he gets the denial, not Alice's list.
  sim.setFaults({ accessDenied: { count: 1, operations: ['ListInsightsData'] } });
  afterTest = () => sim.setFaults({ accessDenied: false });
  sim.resetCounts();
  await expect(bob('us-east-1', budget, { trail: 'data-events' })).rejects.toMatchObject({
    status: 403,
    message: expect.stringMatching(
      /^Access denied for ListInsightsData: grant the IAM action cloudtrail:ListInsightsData /
    ),
  });
  // A failed proof is not kept: allowed now, Bob proves once and reads the cached list without listing.
  expect(await bob('us-east-1', budget, { trail: 'data-events' })).toBe(listed);
  expect(sim.calls().ListInsightsData).toBe(2);
});
