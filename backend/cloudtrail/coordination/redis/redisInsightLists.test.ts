import { DEFAULT_INSIGHT_TTL_MS, type InsightList } from '../../core/insights';
import { AccountScope, InsightsListKey } from '../../core/keys';
import { redisKey } from './redisKeys';
import { RedisInsightLists } from './redisInsightLists';
import { redisForEachTest } from './testing/replicas';

jest.setTimeout(30_000);

const t = redisForEachTest();

const key = { id: 'account=123456789012|region=eu-west-1|insights' };
const list: InsightList = {
  fetchedAtMs: Date.UTC(2026, 11, 1, 9),
  truncated: false,
  pages: 1,
  insights: [
    {
      id: 'shared-1',
      startMs: Date.UTC(2026, 11, 1, 8),
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      insightType: 'ApiCallRateInsight',
      attributions: { userIdentityArn: [{ value: 'arn:aws:iam::123456789012:role/ci', share: 1 }] },
    },
  ],
};

describe('RedisInsightLists', () => {
  it('gives one replica the list another stored', async () => {
    const a = new RedisInsightLists(t.open());
    const b = new RedisInsightLists(t.open());
    expect(await b.read(key)).toBeUndefined();
    await a.write(key, list);
    expect(await b.read(key)).toEqual(list);
  });

  it("keeps a list for the Insights cache's TTL, under a key that names nothing but a hash", async () => {
    const link = t.open();
    await new RedisInsightLists(link).write(key, list);
    const keys = await link.client.keys(`${t.prefix}*`);
    expect(keys).toEqual([redisKey(t.prefix, 'insights', key)]);
    expect(keys[0]).not.toMatch(/123456789012|eu-west-1/);
    const ttl = await link.client.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(DEFAULT_INSIGHT_TTL_MS - 5_000);
    expect(ttl).toBeLessThanOrEqual(DEFAULT_INSIGHT_TTL_MS);
  });

  it('keys lists by account and region (the key type the backend uses)', async () => {
    const store = new RedisInsightLists(t.open());
    const scope = (region: string) => new AccountScope({ kind: 'account', accountId: '123456789012' }, region);
    await store.write(new InsightsListKey(scope('us-east-1')), list);
    expect(await store.read(new InsightsListKey(scope('us-east-1')))).toEqual(list);
    expect(await store.read(new InsightsListKey(scope('eu-west-1')))).toBeUndefined();
  });

  it('treats a damaged or foreign value as a miss, never as Insights', async () => {
    const link = t.open();
    const store = new RedisInsightLists(link);
    const name = redisKey(t.prefix, 'insights', key);
    await store.write(key, list); // connects
    for (const value of ['not json', '{"v":1,"list":{"insights":[{"id":"x"}],"fetchedAtMs":1,"truncated":false}}']) {
      await link.client.set(name, value);
      expect(await store.read(key)).toBeUndefined();
    }
  });

  it('is a miss, not an error, while Redis is down', async () => {
    const link = t.open();
    const store = new RedisInsightLists(link);
    await store.write(key, list);
    await t.redis.stop();
    try {
      expect(await store.read(key)).toBeUndefined();
      await expect(store.write(key, list)).resolves.toBeUndefined();
    } finally {
      await t.redis.start();
    }
  });
});
