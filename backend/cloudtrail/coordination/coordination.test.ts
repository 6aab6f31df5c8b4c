import { logger } from '../../sdk/logger';
import { createCoordination } from './coordination';
import { startRedisServer, type RunningRedis } from './redis/testing/redisServer';
import { makeTestCertificates } from './redis/testing/testCertificates';
import type { Coordination, StoredSeries } from './types';

jest.setTimeout(30_000);

const PASSWORD = 'pw-4f9c1e7b';
const acl = ['--user', 'default', 'off', '--user', 'grafana', 'on', `>${PASSWORD}`, '~*', '&*', '+@all'];
const key = { id: 'account:123456789012|us-east-1|aws|series|x' };
const series: StoredSeries = {
  period: 60,
  range: { startMs: 0, endMs: 60_000 },
  fetchedAtMs: 1,
  points: { timestamps: [0], values: [4] },
};

let coordination: Coordination | undefined;
afterEach(async () => {
  await coordination?.close();
  coordination = undefined;
});

describe('createCoordination', () => {
  it('is in-process without CLOUDTRAIL_REDIS_URL: no health line, no shared store', async () => {
    coordination = createCoordination({});
    expect(await coordination.describe()).toBeUndefined();
    await coordination.buckets.write(key, series);
    expect(await coordination.buckets.read(key)).toBeUndefined();
  });

  it('says why an unusable URL is not used, without repeating it', async () => {
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    coordination = createCoordination({ CLOUDTRAIL_REDIS_URL: `http://user:${PASSWORD}@cache:6379` });
    const line = await coordination.describe();
    expect(line).toMatch(
      /^shared quota and cache: redis_url \(CLOUDTRAIL_REDIS_URL\) must start with redis:\/\/ or rediss:\/\//
    );
    expect(JSON.stringify([line, error.mock.calls])).not.toContain(PASSWORD);
    error.mockRestore();
  });

  describe('with a TLS Redis that requires an ACL user', () => {
    let redis: RunningRedis;
    let caFile: string;
    beforeAll(async () => {
      const certificates = makeTestCertificates();
      caFile = certificates.caFile;
      redis = await startRedisServer({ tls: certificates, args: acl });
    });
    afterAll(() => redis.stop());

    it('connects with rediss://user:password@ and the CA file, and names only host:port', async () => {
      const url = redis.url.replace('rediss://', `rediss://grafana:${PASSWORD}@`);
      coordination = createCoordination({ CLOUDTRAIL_REDIS_URL: url, CLOUDTRAIL_REDIS_CA_FILE: caFile });
      await coordination.buckets.write(key, series);
      expect(await coordination.buckets.read(key)).toEqual(series);
      expect(await coordination.describe()).toBe(
        `shared quota and cache: Redis at 127.0.0.1:${redis.port} reachable; replicated values are bound to their keys, but anyone who can write to this Redis could forge them: set redis_shared_secret (CLOUDTRAIL_REDIS_SHARED_SECRET) on every replica (recommended)`
      );
    });

    it('takes the password from CLOUDTRAIL_REDIS_PASSWORD', async () => {
      const url = redis.url.replace('rediss://', 'rediss://grafana@');
      coordination = createCoordination({
        CLOUDTRAIL_REDIS_URL: url,
        CLOUDTRAIL_REDIS_PASSWORD: PASSWORD,
        CLOUDTRAIL_REDIS_CA_FILE: caFile,
      });
      await coordination.buckets.write(key, series);
      expect(await coordination.buckets.read(key)).toEqual(series);
    });

    it('with a wrong password: falls back, warns once, and never prints the password', async () => {
      const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
      const wrong = `${PASSWORD}-wrong`;
      const url = redis.url.replace('rediss://', `rediss://grafana:${wrong}@`);
      coordination = createCoordination({
        CLOUDTRAIL_REDIS_URL: url,
        CLOUDTRAIL_REDIS_CA_FILE: caFile,
        CLOUDTRAIL_REPLICAS: '2',
      });
      expect(await coordination.buckets.read(key)).toBeUndefined();
      await coordination.quota.acquire(key, 10);
      const line = await coordination.describe();
      expect(line).toMatch(/Redis at 127\.0\.0\.1:\d+ unreachable, this replica uses 1\/2 of each quota/);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(JSON.stringify([line, warn.mock.calls])).not.toContain(wrong);
      warn.mockRestore();
    });
  });
});
