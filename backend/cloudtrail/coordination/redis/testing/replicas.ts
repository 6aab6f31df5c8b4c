/**
 * One real redis-server per test file, a fresh key prefix per test (so tests do not see each
 * other's keys) and test "replicas": each its own Redis connection, closed after each test.
 */
import { redisConfig } from '../redisConfig';
import { RedisLink } from '../redisLink';
import { startRedisServer, type RunningRedis } from './redisServer';

export interface RedisForTests {
  readonly redis: RunningRedis;
  readonly prefix: string;
  /** A replica's connection under this test's prefix, with further CLOUDTRAIL_* settings. */
  open(env?: Record<string, string>): RedisLink;
}

/** Registers the jest hooks that start, share and stop the server; call at the top of a test file. */
export function redisForEachTest(): RedisForTests {
  const links: RedisLink[] = [];
  let redis: RunningRedis | undefined;
  let counter = 0;
  let prefix = '';
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  beforeEach(() => {
    prefix = `test${process.pid}-${++counter}:`;
  });
  afterEach(async () => {
    await Promise.all(links.splice(0).map((l) => l.close()));
  });
  afterAll(() => redis?.stop());
  return {
    get redis() {
      return redis!;
    },
    get prefix() {
      return prefix;
    },
    open(env = {}) {
      const config = redisConfig({ CLOUDTRAIL_REDIS_URL: redis!.url, CLOUDTRAIL_REDIS_PREFIX: prefix, ...env })!;
      const link = new RedisLink(config);
      links.push(link);
      return link;
    },
  };
}
