// The simulator through boto3, a client nobody here wrote: botocore's model, its target spelling
// (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.*), its SigV4 signer, parsers and paginator.
// boto3 is installed into a venv under .cache/boto3-venv at the repository root (gitignored; created once,
// reused while it holds the pinned version), never globally. BOTO3_VENV points at another venv.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startSimulator } from '../index';
import { FIXED_NOW, TEST_KEY } from '../testSupport';
import type { Catalog, RunningSimulator } from '../types';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const VENV = process.env.BOTO3_VENV ?? path.join(root, '.cache', 'boto3-venv');
/** The first boto3 releases with ListInsightsData came in November 2025; this pair is known to have it. */
const BOTO3 = '1.43.11';
const BOTOCORE = '1.43.11';
const python = path.join(VENV, 'bin', 'python');

/** The venv's python, creating the venv and installing the pinned boto3 unless it is already there. */
async function venvPython(): Promise<string> {
  const installed = existsSync(python)
    ? await run(python, ['-c', 'import boto3, botocore; print(boto3.__version__, botocore.__version__)']).then(
        (r) => r.stdout.trim(),
        () => undefined
      )
    : undefined;
  if (installed !== `${BOTO3} ${BOTOCORE}`) {
    if (!existsSync(python)) {
      await run('python3', ['-m', 'venv', VENV]);
    }
    const pins = [`boto3==${BOTO3}`, `botocore==${BOTOCORE}`];
    await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...pins], {
      timeout: 300_000,
    });
  }
  return python;
}

let sim: RunningSimulator;
let catalog: Catalog;
let seen: any;
const targets: string[] = [];
const WEST = 'eu-west-1';

beforeAll(async () => {
  const interpreter = await venvPython();
  sim = await startSimulator({
    now: () => FIXED_NOW,
    quotas: false,
    seed: 'boto3',
    credentials: [TEST_KEY],
    log: (line) => targets.push(line.split(' ')[0]),
  });
  catalog = sim.catalog('us-east-1');
  // A data-event Insight that ended, inside the 15 days of 60 s points.
  const episode = catalog.dataEvents.episodes.find(
    (e) => e.startMs > FIXED_NOW - 14 * 86_400_000 && e.endMs < FIXED_NOW - 86_400_000
  )!;
  const settings = {
    endpoint: sim.url,
    ...TEST_KEY,
    otherRegion: WEST,
    dataTrailName: catalog.dataEvents.trailName,
    dataTrailArn: catalog.dataEvents.trailArn,
    eventDataStore: catalog.eventDataStores[0].eventDataStoreArn,
    episode,
    pageSize: 20,
  };
  const { stdout } = await run(interpreter, [path.join(__dirname, 'simulator_calls.py'), JSON.stringify(settings)], {
    // Only what the script needs: no AWS profile, proxy or CA bundle of the machine.
    env: {
      PATH: process.env.PATH ?? '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_PROXY: '*',
    },
    maxBuffer: 16 << 20,
    timeout: 120_000,
  });
  seen = { ...JSON.parse(stdout), episode };
}, 420_000);
afterAll(() => sim?.stop());

test('the pinned boto3 ran, every call was signed and named with botocore’s target spelling', () => {
  expect([seen.boto3, seen.botocore]).toEqual([BOTO3, BOTOCORE]);
  expect(sim.calls()).toMatchObject({
    DescribeTrails: 3,
    GetInsightSelectors: 3,
    ListInsightsMetricData: 4,
    ListInsightsData: expect.any(Number),
  });
  expect(targets.length).toBeGreaterThan(10);
  expect(targets.every((t) => t.startsWith('com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.'))).toBe(true);
});

test('DescribeTrails(includeShadowTrails=True) lists the organization trail; another region lists it as a shadow unless told not to', () => {
  const account = catalog.accountId;
  expect(seen.describeTrails.map((t: { Name: string }) => t.Name)).toEqual([
    'management-events',
    'data-events',
    'organization-trail',
  ]);
  const shadow = {
    Name: 'organization-trail',
    TrailARN: `arn:aws:cloudtrail:us-east-1:${account}:trail/organization-trail`,
    HomeRegion: 'us-east-1',
    IsMultiRegionTrail: true,
    IsOrganizationTrail: true,
    HasInsightSelectors: true,
  };
  expect(seen.describeTrails[2]).toEqual(shadow);
  expect(seen.describeTrailsOtherRegion).toHaveLength(3);
  expect(seen.describeTrailsOtherRegion[2]).toEqual(shadow);
  expect(seen.describeTrailsOtherRegion[0].HomeRegion).toBe(WEST);
  expect(seen.describeTrailsOtherRegionNoShadows.map((t: { Name: string }) => t.Name)).toEqual([
    'management-events',
    'data-events',
  ]);
});

test('GetInsightSelectors: EventCategories per selector; an event data store with its destination; not both', () => {
  expect(seen.insightSelectors).toEqual({
    TrailARN: catalog.dataEvents.trailArn,
    InsightSelectors: [
      { InsightType: 'ApiCallRateInsight', EventCategories: ['Management', 'Data'] },
      { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management', 'Data'] },
    ],
  });
  expect(seen.eventDataStoreSelectors).toMatchObject({
    EventDataStoreArn: catalog.eventDataStores[0].eventDataStoreArn,
    InsightsDestination: catalog.eventDataStores[0].insightsDestination,
  });
  expect(seen.selectorsWithBoth).toMatchObject({ code: 'InvalidParameterCombinationException', status: 400 });
});

test('ListInsightsMetricData: a data-event Insight has points with TrailName (name or ARN) and TrailARN; none without', () => {
  const { episode } = seen;
  for (const answer of [seen.metricWithTrailName, seen.metricWithTrailArn]) {
    expect(answer.TrailARN).toBe(catalog.dataEvents.trailArn);
    expect(answer.timestamps.length).toBeGreaterThan(0);
    expect(answer.timestamps.every((t: number) => t >= episode.startMs && t < episode.endMs)).toBe(true);
    expect(answer.values.every((v: number) => v > 0)).toBe(true);
  }
  expect(seen.metricWithTrailArn).toEqual(seen.metricWithTrailName);
  expect(seen.metricWithoutTrail).toEqual({ TrailARN: null, timestamps: [], values: [] });
});

test('ListInsightsMetricData: ErrorCode "Access Denied!" is an InvalidParameterException naming the pattern', () => {
  expect(seen.errorCodeOutsidePattern).toEqual({
    code: 'InvalidParameterException',
    status: 400,
    message: expect.stringContaining("ErrorCode 'Access Denied!' is not valid: it must match the pattern"),
  });
});

test('ListInsightsData through botocore’s paginator: every data-event Insight, newest first, in pages of 20', () => {
  const { events, pageSizes } = seen.insightsData;
  const episodes = catalog.dataEvents.episodes;
  expect(events).toHaveLength(episodes.length * 2 - episodes.filter((e) => e.endMs > FIXED_NOW).length);
  expect(pageSizes.length).toBe(Math.ceil(events.length / 20));
  expect(pageSizes.slice(0, -1).every((n: number) => n === 20)).toBe(true);
  const times = events.map((e: { EventTime: number }) => e.EventTime);
  expect(times).toEqual([...times].sort((a, b) => b - a));
  expect(new Set(events.map((e: { EventId: string }) => e.EventId)).size).toBe(events.length);
  const start = events.find(
    (e: { insightId: string; state: string }) => e.insightId === seen.episode.insightId && e.state === 'Start'
  );
  expect(start).toMatchObject({ EventName: seen.episode.eventName, EventTime: seen.episode.startMs });
  expect(seen.insightsDataFiltered).toContain(start.EventId);
  expect(seen.insightsDataMaxResults51).toMatchObject({
    code: 'InvalidParameterException',
    message: 'MaxResults must be between 1 and 50; got 51.',
  });
});
