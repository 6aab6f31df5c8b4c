/**
 * Values nobody can forge (issue 24): entries written into Redis directly — swapped between two
 * series (RENAME), altered, signed without the secret, fetched "in the future", an Insights list
 * faked empty — are never served. A fresh replica (empty local cache) answers the true values,
 * fetched from the simulator, and each refusal is counted (by store and reason) and logged once per
 * reason. The secret appears nowhere: not in Redis, logs, messages or metrics.
 */
import Redis from 'ioredis';
import { logger } from '../../../../sdk/logger';
import { metricsRegistry } from '../../../../sdk/metrics';
import { startUpstream, type Upstream } from '../../../testing/replicaBurst';
import { valuesOf, type InProcessReplica } from '../../../testing/inProcessReplicas';
import type { InsightList } from '../../../core/insights';
import type { Keyed } from '../../types';
import { replicatedEntriesRefused } from '../../metrics';
import { encodeInsightList } from '../insightListCodec';
import { RedisBucketStore } from '../redisBucketStore';
import { redisConfig } from '../redisConfig';
import { RedisInsightLists } from '../redisInsightLists';
import { RedisLink } from '../redisLink';
import { startRedisServer, type RunningRedis } from '../testing/redisServer';
import { EntrySeal } from './entrySeal';

jest.setTimeout(60_000);

const SECRET = 'integrity-secret-Zq8w3LkP0v';
const HOUR_MS = 3_600_000;

let redis: RunningRedis;
let upstream: Upstream;
/** A plain client for looking into Redis and writing into it as an outsider would. */
let admin: Redis;
let prefixes = 0;
const nextPrefix = () => `integrity-${++prefixes}:`;

beforeAll(async () => {
  // Integrity is not about the quota: a faster simulator (and pacing to match) keeps the file short.
  [redis, upstream] = await Promise.all([
    startRedisServer(),
    startUpstream('redis-integrity', { ListInsightsMetricData: 20, LookupEvents: 20 }),
  ]);
  admin = new Redis(redis.port, '127.0.0.1');
});
afterAll(async () => {
  admin?.disconnect();
  await upstream?.stop();
  await redis?.stop();
});

/** Every log line of the whole file (any level): searched for the secret, refusal warnings counted. */
const logged: Array<{ level: string; args: unknown[] }> = [];
const spies: jest.SpyInstance[] = [];
beforeEach(() => {
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    spies.push(jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logged.push({ level, args })));
  }
});
afterEach(() => spies.splice(0).forEach((s) => s.mockRestore()));

/**
 * `count` values refused: a fetch reads the store before taking the series' lock and again once it
 * holds it (another replica may have published in between), so each refused value is counted once
 * or twice.
 */
function expectRefusals(delta: number, count: number): void {
  expect(delta).toBeGreaterThanOrEqual(count);
  expect(delta).toBeLessThanOrEqual(2 * count);
}

async function refused(store: string, reason: string): Promise<number> {
  const found = (await replicatedEntriesRefused.get()).values.find(
    (v) => v.labels.store === store && v.labels.reason === reason
  );
  return found?.value ?? 0;
}

/** A replica of this test's Redis under `prefix`, with `secret` as REDIS_SHARED_SECRET (none: unset). */
function replica(prefix: string, secret?: string): Promise<InProcessReplica> {
  return upstream.replica({
    CLOUDTRAIL_QUOTAS: 'ListInsightsMetricData=20,LookupEvents=20',
    CLOUDTRAIL_REDIS_URL: redis.url,
    CLOUDTRAIL_REDIS_PREFIX: prefix,
    ...(secret ? { GF_PLUGIN_REDIS_SHARED_SECRET: secret } : {}),
  });
}

/** The keys `work` had written through `store`'s class (spied), with the Redis key names it added. */
async function keysWrittenBy(
  store: typeof RedisBucketStore | typeof RedisInsightLists,
  prefix: string,
  work: () => Promise<unknown>
): Promise<Array<{ key: Keyed; name: string }>> {
  const before = new Set(await admin.keys(`${prefix}*`));
  const keys: Keyed[] = [];
  const real = store.prototype.write as (this: unknown, key: Keyed, value: unknown) => Promise<void>;
  const target = store.prototype as { write: (key: Keyed, value: unknown) => Promise<void> };
  const spy = jest.spyOn(target, 'write').mockImplementation(function (this: unknown, key: Keyed, value: unknown) {
    keys.push(key);
    return real.call(this, key, value);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  const kind = store === RedisBucketStore ? 'series:' : 'insights:';
  const added = (await admin.keys(`${prefix}${kind}*`)).filter((k) => !before.has(k));
  expect({ keys: keys.length, added: added.length }).toEqual({ keys: 1, added: 1 });
  return [{ key: keys[0], name: added[0] }];
}

/** One series asked on a first replica: its true values and where Redis keeps it. */
async function fetchedOnce(prefix: string, secret: string | undefined) {
  const [series] = upstream.freshSeries(1);
  const first = await replica(prefix, secret);
  let values: unknown[] = [];
  const [{ key, name }] = await keysWrittenBy(RedisBucketStore, prefix, async () => {
    const answer = await first.query(series);
    expect(answer.error ?? '').toBe('');
    values = valuesOf(answer);
  });
  return { series, values, key, name };
}

/** A fresh replica asks for `series`: the values it answers and the calls that cost. */
async function freshAnswer(
  prefix: string,
  secret: string | undefined,
  series: Parameters<InProcessReplica['query']>[0]
) {
  upstream.sim.resetCounts();
  const answer = await (await replica(prefix, secret)).query(series);
  expect(answer.error ?? '').toBe('');
  return { values: valuesOf(answer), calls: upstream.sim.calls().ListInsightsMetricData ?? 0 };
}

describe.each([
  ['with redis_shared_secret', SECRET],
  ['without a secret (values are still bound to their key)', undefined],
])('%s', (_name, secret) => {
  test('two series swapped inside Redis (RENAME): a fresh replica answers each its own true values', async () => {
    const prefix = nextPrefix();
    const one = await fetchedOnce(prefix, secret);
    const two = await fetchedOnce(prefix, secret);
    expect(one.values).not.toEqual(two.values);
    await admin.rename(one.name, `${prefix}swap`);
    await admin.rename(two.name, one.name);
    await admin.rename(`${prefix}swap`, two.name);

    const before = await refused('series', 'forged');
    const fresh = await replica(prefix, secret);
    upstream.sim.resetCounts();
    expect(valuesOf(await fresh.query(one.series))).toEqual(one.values);
    expect(valuesOf(await fresh.query(two.series))).toEqual(two.values);
    expect(upstream.sim.calls().ListInsightsMetricData).toBe(2);
    expectRefusals((await refused('series', 'forged')) - before, 2);
  });

  test('values altered inside Redis (the MAC left as it was): a fresh replica answers the true values', async () => {
    const prefix = nextPrefix();
    const { series, values, name } = await fetchedOnce(prefix, secret);
    const points = (await admin.hgetBuffer(name, 'points'))!;
    for (let at = 8; at < points.length; at += 16) {
      points.writeDoubleLE(points.readDoubleLE(at) + 1_000, at);
    }
    await admin.hset(name, 'points', points);
    const before = await refused('series', 'forged');
    expect(await freshAnswer(prefix, secret, series)).toEqual({ values, calls: 1 });
    expectRefusals((await refused('series', 'forged')) - before, 1);
  });

  test('an entry without a MAC (as an older version wrote it): a miss, counted as unsigned', async () => {
    const prefix = nextPrefix();
    const { series, values, name } = await fetchedOnce(prefix, secret);
    await admin.hdel(name, 'mac');
    const before = await refused('series', 'unsigned');
    expect(await freshAnswer(prefix, secret, series)).toEqual({ values, calls: 1 });
    expectRefusals((await refused('series', 'unsigned')) - before, 1);
  });
});

test('with a secret, an entry signed as anyone can (no secret) is refused', async () => {
  const prefix = nextPrefix();
  const { series, values, key, name } = await fetchedOnce(prefix, SECRET);
  // A forger who knows the format and the key, but not the secret, writes zeros in the same buckets.
  const meta = JSON.parse((await admin.hget(name, 'meta'))!);
  const points = (await admin.hgetBuffer(name, 'points'))!;
  const timestamps: number[] = [];
  for (let at = 0; at < points.length; at += 16) {
    timestamps.push(points.readDoubleLE(at));
  }
  const forgerLink = new RedisLink(redisConfig({ CLOUDTRAIL_REDIS_URL: redis.url, CLOUDTRAIL_REDIS_PREFIX: prefix })!);
  try {
    await new RedisBucketStore(forgerLink).write(key, {
      period: meta.period,
      range: { startMs: meta.startMs, endMs: meta.endMs },
      fetchedAtMs: meta.fetchedAtMs,
      points: { timestamps, values: timestamps.map(() => 0) },
    });
  } finally {
    await forgerLink.close();
  }
  expect(Buffer.compare((await admin.hgetBuffer(name, 'points'))!, points)).not.toBe(0);
  const before = await refused('series', 'forged');
  expect(await freshAnswer(prefix, SECRET, series)).toEqual({ values, calls: 1 });
  expectRefusals((await refused('series', 'forged')) - before, 1);
});

test('an entry fetched "an hour from now", correctly signed (a replica with a wrong clock): refused, the true values fetched', async () => {
  const prefix = nextPrefix();
  const { series, values, key } = await fetchedOnce(prefix, SECRET);
  const replicaLink = new RedisLink(
    redisConfig({
      CLOUDTRAIL_REDIS_URL: redis.url,
      CLOUDTRAIL_REDIS_PREFIX: prefix,
      CLOUDTRAIL_REDIS_SHARED_SECRET: SECRET,
    })!
  );
  try {
    const store = new RedisBucketStore(replicaLink);
    const stored = (await store.read(key))!;
    expect(stored).toBeDefined();
    await store.write(key, { ...stored, fetchedAtMs: Date.now() + HOUR_MS });
    const before = await refused('series', 'future');
    expect(await freshAnswer(prefix, SECRET, series)).toEqual({ values, calls: 1 });
    expectRefusals((await refused('series', 'future')) - before, 1);
  } finally {
    await replicaLink.close();
  }
});

describe('an Insights list faked fresh and empty (no Insight would ever fire)', () => {
  const ids = (answer: Awaited<ReturnType<InProcessReplica['events']>>) =>
    answer.frames[0]?.fields.find((f) => f.name === 'eventId')?.values ?? [];

  test.each([
    ['without a MAC', 'unsigned'],
    ['signed as anyone can (no secret)', 'forged'],
    ['correctly signed but listed "an hour from now"', 'future'],
  ])('%s: a fresh replica shows the true Insights', async (_name, reason) => {
    const prefix = nextPrefix();
    const first = await replica(prefix, SECRET);
    let truth: unknown[] = [];
    const [{ key, name }] = await keysWrittenBy(RedisInsightLists, prefix, async () => {
      truth = ids(await first.events());
    });
    expect(truth.length).toBeGreaterThan(0);
    const empty: InsightList = { insights: [], fetchedAtMs: Date.now(), truncated: false, pages: 1 };
    const binding = { name, id: key.id };
    const value =
      reason === 'unsigned'
        ? encodeInsightList(empty)
        : reason === 'forged'
          ? new EntrySeal(undefined).sealText(binding, encodeInsightList(empty))
          : new EntrySeal(SECRET).sealText(binding, encodeInsightList({ ...empty, fetchedAtMs: Date.now() + HOUR_MS }));
    await admin.set(name, value, 'PX', 60_000);
    const before = await refused('insights', reason);
    const answer = await (await replica(prefix, SECRET)).events();
    expect(answer.error ?? '').toBe('');
    expect(ids(answer)).toEqual(truth);
    expectRefusals((await refused('insights', reason)) - before, 1);
  });
});

test('the secret appears nowhere: not in Redis, logs, health messages or metrics', async () => {
  const prefix = nextPrefix();
  const a = await replica(prefix, SECRET);
  const [series] = upstream.freshSeries(1);
  expect((await a.query(series)).error ?? '').toBe('');
  await a.events();
  const health = await a.health();
  expect(health.message).toContain(
    'replicated values carry a MAC keyed by redis_shared_secret (CLOUDTRAIL_REDIS_SHARED_SECRET)'
  );

  const dump: string[] = [];
  for (const key of await admin.keys('*')) {
    dump.push(key);
    const type = await admin.type(key);
    if (type === 'hash') {
      dump.push(...Object.values(await admin.hgetallBuffer(key)).map((v) => v.toString('latin1')));
    } else if (type === 'string') {
      dump.push((await admin.getBuffer(key))?.toString('latin1') ?? '');
    } else if (type === 'zset') {
      dump.push(...(await admin.zrange(key, 0, -1)));
    }
  }
  expect(dump.length).toBeGreaterThan(3);
  const everything = [
    dump.join('\n'),
    JSON.stringify(logged),
    JSON.stringify(health),
    await metricsRegistry.metrics(),
  ].join('\n');
  expect(everything).not.toContain(SECRET);
  expect(everything).not.toContain(Buffer.from(SECRET).toString('base64'));
  expect(everything).not.toContain(Buffer.from(SECRET).toString('hex'));
});

test('each kind of refusal was logged once, however many there were', () => {
  const warnings = logged.filter(
    (l) => l.level === 'warn' && String(l.args[0]).startsWith('A value in Redis was refused')
  );
  const reasons = warnings.map((w) => (w.args[1] as { reason: string }).reason).sort();
  expect(reasons).toEqual(['forged', 'future', 'unsigned']);
});
