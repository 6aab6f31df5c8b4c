import { diagnose, scrub } from './connection/diagnosis';
import { redisConfig, settingName } from './redisConfig';

describe('redisConfig', () => {
  test('nothing to share without a URL or Sentinels', () => {
    expect(redisConfig({})).toBeUndefined();
    expect(redisConfig({ CLOUDTRAIL_REDIS_URL: '  ' })).toBeUndefined();
  });

  test('a single Redis: the cluster mode is asked of the server unless REDIS_CLUSTER says', () => {
    const url = 'rediss://grafana:pw@cache.internal:6380/2';
    expect(redisConfig({ CLOUDTRAIL_REDIS_URL: url })).toMatchObject({
      topology: { kind: 'single', node: { host: 'cache.internal', port: 6380 }, cluster: 'ask' },
      username: 'grafana',
      password: 'pw',
      db: 2,
      tls: true,
      address: 'cache.internal:6380',
    });
    expect(redisConfig({ CLOUDTRAIL_REDIS_URL: url, CLOUDTRAIL_REDIS_CLUSTER: 'false' })?.topology).toMatchObject({
      kind: 'single',
      cluster: 'no',
    });
    const cluster = redisConfig({ CLOUDTRAIL_REDIS_URL: 'redis://node-1:7000', CLOUDTRAIL_REDIS_CLUSTER: 'TRUE' });
    expect(cluster?.topology).toEqual({ kind: 'cluster', node: { host: 'node-1', port: 7000 } });
  });

  test('Sentinels: default port and master name; the URL gives credentials, TLS and database only', () => {
    const config = redisConfig({
      CLOUDTRAIL_REDIS_SENTINELS: 'sentinel-a, sentinel-b:26380,[::1]:26381',
      CLOUDTRAIL_REDIS_URL: 'rediss://:data-pw@ignored:1/3',
      CLOUDTRAIL_REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
    });
    expect(config).toMatchObject({
      topology: {
        kind: 'sentinel',
        name: 'mymaster',
        sentinelPassword: 'sentinel-pw',
        sentinels: [
          { host: 'sentinel-a', port: 26379 },
          { host: 'sentinel-b', port: 26380 },
          { host: '::1', port: 26381 },
        ],
      },
      password: 'data-pw',
      db: 3,
      tls: true,
      address: 'master "mymaster" of Sentinel sentinel-a:26379,sentinel-b:26380,[::1]:26381',
    });
    expect(redisConfig({ CLOUDTRAIL_REDIS_SENTINELS: 's:1', CLOUDTRAIL_REDIS_SENTINEL_NAME: 'cache' })).toMatchObject({
      topology: { name: 'cache' },
      tls: false,
      db: 0,
    });
  });

  test('settings that cannot be used are refused, naming the setting and never its secret', () => {
    const refuse = (env: Record<string, string>) => () => redisConfig(env);
    expect(refuse({ CLOUDTRAIL_REDIS_URL: 'redis://h', CLOUDTRAIL_REDIS_CLUSTER: 'maybe' })).toThrow(
      'redis_cluster (CLOUDTRAIL_REDIS_CLUSTER) must be true or false'
    );
    expect(refuse({ CLOUDTRAIL_REDIS_SENTINELS: 's:1', CLOUDTRAIL_REDIS_CLUSTER: 'true' })).toThrow(
      'exclude each other'
    );
    expect(refuse({ CLOUDTRAIL_REDIS_URL: 'redis://h/1', CLOUDTRAIL_REDIS_CLUSTER: 'true' })).toThrow(
      'a Redis Cluster has only database 0'
    );
    expect(refuse({ CLOUDTRAIL_REDIS_SENTINELS: 'host:port' })).toThrow(
      'redis_sentinels (CLOUDTRAIL_REDIS_SENTINELS): "host:port" is not host:port'
    );
    expect(refuse({ CLOUDTRAIL_REDIS_URL: 'redis://user:s3cret@[bad' })).toThrow(/^redis_url \(CLOUDTRAIL_REDIS_URL\)/);
    try {
      redisConfig({ CLOUDTRAIL_REDIS_URL: 'redis://user:s3cret@[bad' });
    } catch (error) {
      expect(String(error)).not.toContain('s3cret');
    }
  });

  test('the secret is taken as written, and only an empty one is none', () => {
    const base = { CLOUDTRAIL_REDIS_URL: 'redis://h' };
    expect(redisConfig({ ...base, CLOUDTRAIL_REDIS_SHARED_SECRET: ' spaced secret ' })?.replicationSecret).toBe(
      ' spaced secret '
    );
    expect(redisConfig({ ...base, CLOUDTRAIL_REDIS_SHARED_SECRET: '' })?.replicationSecret).toBeUndefined();
    expect(settingName('REDIS_SHARED_SECRET')).toBe('redis_shared_secret (CLOUDTRAIL_REDIS_SHARED_SECRET)');
  });
});

describe('diagnose', () => {
  const config = redisConfig({
    CLOUDTRAIL_REDIS_URL: 'redis://grafana:data-pw-123@cache:6379',
    CLOUDTRAIL_REDIS_SHARED_SECRET: 'the-secret-456',
  })!;
  const sentinel = redisConfig({
    CLOUDTRAIL_REDIS_SENTINELS: 's1:26379',
    CLOUDTRAIL_REDIS_SENTINEL_PASSWORD: 'sentinel-pw-789',
  })!;
  const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

  test.each([
    [
      new Error('WRONGPASS invalid username-password pair or user is disabled.'),
      'check redis_password (CLOUDTRAIL_REDIS_PASSWORD) or the user and password in redis_url (CLOUDTRAIL_REDIS_URL)',
    ],
    [new Error('NOAUTH Authentication required.'), 'Redis asked for a password (NOAUTH)'],
    [
      new Error('MOVED 1234 10.0.0.2:6379'),
      'is a Redis Cluster node, but redis_cluster (CLOUDTRAIL_REDIS_CLUSTER) is false',
    ],
    [new Error('ERR This instance has cluster support disabled'), 'is not a Redis Cluster'],
    [
      coded('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'),
      'set redis_ca_file (CLOUDTRAIL_REDIS_CA_FILE)',
    ],
    [coded('read ECONNRESET', 'ECONNRESET'), 'if it requires TLS, use rediss:// in redis_url (CLOUDTRAIL_REDIS_URL)'],
    [
      coded('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'),
      'cannot connect to Redis at cache:6379 (ECONNREFUSED)',
    ],
    [
      new Error('Redis did not answer within 500 ms'),
      'the limit set by redis_timeout_ms (CLOUDTRAIL_REDIS_TIMEOUT_MS)',
    ],
    [new Error('OOM command not allowed when used memory > maxmemory'), 'volatile-lru'],
  ])('%s', (error, says) => {
    expect(diagnose(error, config)).toContain(says);
  });

  test('Sentinels: unreachable, unknown master, refused password', () => {
    expect(
      diagnose(
        new Error(
          'All sentinels are unreachable. Retrying from scratch after 200ms. Last error: Connection is closed.'
        ),
        sentinel
      )
    ).toBe(
      'none of the Sentinels (s1:26379) answered (Connection is closed.): check redis_sentinels (CLOUDTRAIL_REDIS_SENTINELS)'
    );
    expect(
      diagnose(new Error('failed to connect to sentinel s1:26379 because ERR No such master with that name'), sentinel)
    ).toBe(
      'the Sentinels watch no master named "mymaster": check redis_sentinel_name (CLOUDTRAIL_REDIS_SENTINEL_NAME)'
    );
    expect(
      diagnose(
        new Error('failed to connect to sentinel s1:26379 because WRONGPASS invalid username-password pair'),
        sentinel
      )
    ).toBe(
      'the Sentinels refused the user name or password (WRONGPASS): check redis_sentinel_password (CLOUDTRAIL_REDIS_SENTINEL_PASSWORD)'
    );
  });

  test('never repeats a password, the Sentinel password or the secret', () => {
    const echoed = new Error('ERR unknown: data-pw-123 the-secret-456');
    expect(diagnose(echoed, config)).not.toMatch(/data-pw-123|the-secret-456/);
    expect(scrub('x sentinel-pw-789 y', sentinel)).toBe('x *** y');
  });
});
