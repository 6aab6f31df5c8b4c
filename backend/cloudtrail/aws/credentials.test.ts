import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { ROLE_SESSION_NAME, credentialProvider } from './credentials';
import { proxyAwareRequestHandler } from './proxy';
import { authPolicy, type CloudTrailSettings } from './settings';
import { startLoopbackProxy } from '../testing/loopbackProxy';
import { AssumeRoleError } from './assumeRole';
import { DEFAULT_RESPONSE_LIMIT_BYTES, ResponseTooLargeError } from './responseGuard';
import { startAnsweringServer, streamEndlessly, type AnsweringServer } from '../testing/answeringServer';

/** Sets environment variables for the duration of `run`, then restores them. */
async function withEnv<T>(values: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  const apply = (entries: Record<string, string | undefined>) =>
    Object.entries(entries).forEach(([k, v]) => (v === undefined ? delete process.env[k] : (process.env[k] = v)));
  apply(values);
  try {
    return await run();
  } finally {
    apply(saved);
  }
}

/** A loopback HTTP server answering with `handle`; closed by the returned function. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((r) => server.close(r)) };
}

const EXPIRES = () => new Date(Date.now() + 3_600_000).toISOString();

const base: CloudTrailSettings = {
  authType: 'keys',
  defaultRegion: 'us-east-1',
  accessKey: 'AKIDONE',
  secretKey: 'very-secret',
};

describe('credentialProvider', () => {
  test('keys: the static keys and session token', async () => {
    const provider = credentialProvider({ ...base, sessionToken: 'tok' }, authPolicy({}, {}), 'us-east-1', process.env);
    await expect(provider()).resolves.toEqual({
      accessKeyId: 'AKIDONE',
      secretAccessKey: 'very-secret',
      sessionToken: 'tok',
    });
  });

  test('credentials: the named profile of the shared credentials file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-cred-'));
    writeFileSync(
      join(dir, 'credentials'),
      '[team]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n'
    );
    writeFileSync(join(dir, 'config'), '');
    const env = {
      AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
      AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
    };
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    try {
      const provider = credentialProvider(
        { authType: 'credentials', profile: 'team', defaultRegion: 'us-east-1' },
        authPolicy({}, {}),
        'us-east-1',
        process.env
      );
      await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIDFILE', secretAccessKey: 'file-secret' });
      const missing = credentialProvider(
        { authType: 'credentials', profile: 'nope', defaultRegion: 'us-east-1' },
        authPolicy({}, {}),
        'us-east-1',
        process.env
      );
      await expect(missing()).rejects.toThrow(/nope/);
    } finally {
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) {
          delete process.env[k];
        } else {
          process.env[k] = v;
        }
      }
    }
  });
});

describe('credentialProvider, more providers', () => {
  test('keys without a secret (never from parseSettings) give empty strings, not undefined', async () => {
    const provider = credentialProvider(
      { authType: 'keys', defaultRegion: 'us-east-1' },
      authPolicy({}, {}),
      'us-east-1',
      process.env
    );
    await expect(provider()).resolves.toEqual({ accessKeyId: '', secretAccessKey: '', sessionToken: undefined });
  });

  describe('shared credentials file', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ct-cred-'));
      writeFileSync(
        join(dir, 'credentials'),
        '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n' +
          '[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = team-secret\n'
      );
      writeFileSync(join(dir, 'config'), '');
    });
    const files = () => ({
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    });
    const credentials = (profile?: string, env: NodeJS.ProcessEnv = {}) =>
      credentialProvider(
        { authType: 'credentials', profile, defaultRegion: 'us-east-1' },
        authPolicy({}, {}),
        'us-east-1',
        env
      )();

    test('without a profile: AWS_PROFILE, else the default profile', async () => {
      await withEnv({ ...files(), AWS_PROFILE: undefined }, async () => {
        await expect(credentials()).resolves.toMatchObject({ accessKeyId: 'AKIDDEFAULT' });
        await expect(credentials(undefined, { AWS_PROFILE: 'team' })).resolves.toMatchObject({
          accessKeyId: 'AKIDTEAM',
        });
      });
    });

    test('the default chain ignores a profile in the settings: only authType credentials reads one', async () => {
      await withEnv({ ...files(), AWS_PROFILE: undefined }, async () => {
        for (const authType of ['default', 'ec2_iam_role'] as const) {
          const chain = credentialProvider(
            { authType, profile: 'team', defaultRegion: 'us-east-1' },
            authPolicy({}, {}),
            'us-east-1',
            process.env
          );
          await expect(chain()).resolves.toMatchObject({ accessKeyId: 'AKIDDEFAULT' });
        }
      });
    });

    test('the default chain without a profile takes the environment’s keys first', async () => {
      await withEnv(
        { ...files(), AWS_PROFILE: undefined, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' },
        async () => {
          const chain = credentialProvider(
            { authType: 'default', defaultRegion: 'us-east-1' },
            authPolicy({}, {}),
            'us-east-1',
            process.env
          );
          await expect(chain()).resolves.toMatchObject({ accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret' });
        }
      );
    });
  });

  describe('EC2 / ECS / EKS roles (the default chain, as grafana-aws-sdk)', () => {
    /** No keys, profile files or web identity of the machine running the tests ahead in the chain. */
    let noOtherSource: Record<string, string | undefined>;
    beforeAll(() => {
      const empty = mkdtempSync(join(tmpdir(), 'ct-cred-none-'));
      writeFileSync(join(empty, 'credentials'), '');
      writeFileSync(join(empty, 'config'), '');
      noOtherSource = {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
        AWS_CONFIG_FILE: join(empty, 'config'),
        AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
        AWS_ROLE_ARN: undefined,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: undefined,
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: undefined,
      };
    });

    test('in a container: the container endpoint, retried once after a failure', async () => {
      let asked = 0;
      const endpoint = await serve((_req, res) => {
        asked++;
        if (asked === 1) {
          res.writeHead(500).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            AccessKeyId: 'AKIDECS',
            SecretAccessKey: 'ecs-secret',
            Token: 'ecs-token',
            Expiration: EXPIRES(),
          })
        );
      });
      try {
        await withEnv({ ...noOtherSource, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint.url}/creds` }, async () => {
          const provider = credentialProvider(
            { authType: 'ec2_iam_role', defaultRegion: 'us-east-1' },
            authPolicy({}, {}),
            'us-east-1',
            process.env
          );
          await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIDECS', sessionToken: 'ecs-token' });
        });
        expect(asked).toBe(2);
      } finally {
        await endpoint.close();
      }
    });

    test('on an instance: the instance metadata service, retried once after a failure', async () => {
      let roleAsked = 0;
      const imds = await serve((req, res) => {
        if (req.method === 'PUT' && req.url === '/latest/api/token') {
          res.writeHead(200).end('imds-token');
        } else if (req.url === '/latest/meta-data/iam/security-credentials/') {
          res.writeHead(200).end('grafana-role');
        } else if (req.url === '/latest/meta-data/iam/security-credentials/grafana-role') {
          roleAsked++;
          if (roleAsked === 1) {
            res.writeHead(500).end();
            return;
          }
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              Code: 'Success',
              AccessKeyId: 'AKIDEC2',
              SecretAccessKey: 'ec2-secret',
              Token: 'ec2-token',
              Expiration: EXPIRES(),
            })
          );
        } else {
          res.writeHead(404).end();
        }
      });
      try {
        await withEnv(
          {
            ...noOtherSource,
            AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
            AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
            AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
            AWS_EC2_METADATA_DISABLED: undefined,
          },
          async () => {
            const provider = credentialProvider(
              { authType: 'ec2_iam_role', defaultRegion: 'us-east-1' },
              authPolicy({}, {}),
              'us-east-1',
              {}
            );
            await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIDEC2', sessionToken: 'ec2-token' });
          }
        );
      } finally {
        await imds.close();
      }
    });

    test('EKS Pod Identity: the full URI, with the token read from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ct-pod-identity-'));
      writeFileSync(join(dir, 'token'), 'pod-identity-token');
      const authorizations: Array<string | undefined> = [];
      const agent = await serve((req, res) => {
        authorizations.push(req.headers.authorization);
        if (req.headers.authorization !== 'pod-identity-token') {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            AccessKeyId: 'AKIDPOD',
            SecretAccessKey: 'pod-secret',
            Token: 'pod-token',
            Expiration: EXPIRES(),
          })
        );
      });
      try {
        await withEnv(
          {
            ...noOtherSource,
            AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/v1/credentials`,
            AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, 'token'),
          },
          async () => {
            const provider = credentialProvider(
              { authType: 'ec2_iam_role', defaultRegion: 'us-east-1' },
              authPolicy({}, {}),
              'us-east-1',
              process.env
            );
            await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIDPOD', sessionToken: 'pod-token' });
          }
        );
        expect(authorizations).toEqual(['pod-identity-token']);
      } finally {
        await agent.close();
      }
    });

    test('IRSA: sts:AssumeRoleWithWebIdentity with the service account token', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ct-irsa-'));
      writeFileSync(join(dir, 'token'), 'service-account-jwt');
      const bodies: string[] = [];
      const sts = await serve((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          bodies.push(body);
          res.writeHead(200, { 'Content-Type': 'text/xml' });
          res.end(
            '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>' +
              '<Credentials><AccessKeyId>ASIAIRSA</AccessKeyId><SecretAccessKey>irsa-secret</SecretAccessKey>' +
              `<SessionToken>irsa-token</SessionToken><Expiration>${EXPIRES()}</Expiration></Credentials>` +
              '<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/grafana/pod</Arn><AssumedRoleId>AROA:pod</AssumedRoleId></AssumedRoleUser>' +
              '</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>'
          );
        });
      });
      try {
        await withEnv(
          {
            ...noOtherSource,
            AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'),
            AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/grafana',
            AWS_ENDPOINT_URL_STS: sts.url,
            AWS_REGION: 'us-east-1',
          },
          async () => {
            const provider = credentialProvider(
              { authType: 'ec2_iam_role', defaultRegion: 'us-east-1' },
              authPolicy({}, {}),
              'us-east-1',
              process.env
            );
            await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ASIAIRSA', sessionToken: 'irsa-token' });
          }
        );
        expect(bodies.join('&')).toContain('Action=AssumeRoleWithWebIdentity');
        expect(bodies.join('&')).toContain('WebIdentityToken=service-account-jwt');
      } finally {
        await sts.close();
      }
    });
  });
});

describe('assuming a role (the simulator’s STS)', () => {
  const ACCOUNT = '123456789012';
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/grafana-reader`;
  const KEYS = { accessKeyId: 'AKIDASSUME', secretAccessKey: 'assume-secret' };
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 'credentials',
      quotas: false,
      credentials: [KEYS],
      roles: [{ arn: ROLE, externalId: 'ext-1' }],
    });
  });
  afterAll(() => sim.stop());

  const settings = (extra: Partial<CloudTrailSettings> = {}): CloudTrailSettings => ({
    ...base,
    accessKey: KEYS.accessKeyId,
    secretKey: KEYS.secretAccessKey,
    assumeRoleArn: ROLE,
    endpoint: sim.url,
    ...extra,
  });
  /** Who the provider's credentials act as, asked of the simulator's STS. */
  const whoAmI = async (provider: ReturnType<typeof credentialProvider>) => {
    const sts = new STSClient({ region: 'us-east-1', endpoint: sim.url, credentials: provider, maxAttempts: 1 });
    try {
      return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
    } finally {
      sts.destroy();
    }
  };

  test('acts as the role, in a session named for this plugin, with the settings’ external id', async () => {
    const provider = credentialProvider(
      settings({ externalId: 'ext-1' }),
      authPolicy({}, { AWS_AUTH_EXTERNAL_ID: 'other' }),
      'us-east-1',
      process.env
    );
    expect(await whoAmI(provider)).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/grafana-reader/${ROLE_SESSION_NAME}`);
    expect(ROLE_SESSION_NAME).toBe('grafana-cloudtrail-insights');
  });

  test('Grafana’s [aws] external_id is never sent for the data source’s own role', async () => {
    const provider = credentialProvider(
      settings(),
      authPolicy({ AWS_AUTH_EXTERNAL_ID: 'ext-1' }, { AWS_AUTH_EXTERNAL_ID: 'ext-1' }),
      'us-east-1',
      process.env
    );
    await expect(provider()).rejects.toThrow(/not authorized to perform: sts:AssumeRole/);
  });

  test('with no external id at all the role’s trust policy refuses', async () => {
    const provider = credentialProvider(settings(), authPolicy({}, {}), 'us-east-1', process.env);
    await expect(provider()).rejects.toThrow(
      /not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/grafana-reader/
    );
  });

  test('[aws] session_duration is the role session’s DurationSeconds (default 15 min)', async () => {
    for (const [config, seconds] of [
      [{ AWS_AUTH_SESSION_DURATION: '30m' }, 1800],
      [{}, 900],
    ] as const) {
      const provider = credentialProvider(
        settings({ externalId: 'ext-1' }),
        authPolicy(config, {}),
        'us-east-1',
        process.env
      );
      const before = Date.now();
      const identity = await provider();
      const lifetimeS = (identity.expiration!.getTime() - before) / 1000;
      expect(lifetimeS).toBeGreaterThan(seconds - 60);
      expect(lifetimeS).toBeLessThanOrEqual(seconds + 1);
    }
  });

  test.each(['credentials', 'default'] as const)(
    'a %s profile that assumes a role does so through the given request handler',
    async (authType) => {
      const dir = mkdtempSync(join(tmpdir(), 'ct-cred-role-'));
      writeFileSync(
        join(dir, 'credentials'),
        `[team]\naws_access_key_id = ${KEYS.accessKeyId}\naws_secret_access_key = ${KEYS.secretAccessKey}\n`
      );
      writeFileSync(
        join(dir, 'config'),
        `[profile reader]\nrole_arn = ${ROLE}\nexternal_id = ext-1\nsource_profile = team\nregion = us-east-1\n`
      );
      // `credentials` names the profile in its settings; the default chain reads only the server's AWS_PROFILE.
      await expectRoleAssumedThroughProxy(
        { authType, ...(authType === 'credentials' ? { profile: 'reader' } : {}), defaultRegion: 'us-east-1' },
        {
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
          AWS_CONFIG_FILE: join(dir, 'config'),
          AWS_ENDPOINT_URL_STS: sim.url,
          AWS_PROFILE: authType === 'default' ? 'reader' : undefined,
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
        }
      );
    }
  );

  test('the role is assumed through the given request handler (the proxy the environment names)', async () => {
    await expectRoleAssumedThroughProxy(settings({ externalId: 'ext-1' }), {});
  });

  /** Resolves the credentials with the environment's proxy handler: one AssumeRole, via the proxy. */
  async function expectRoleAssumedThroughProxy(
    dataSource: Parameters<typeof credentialProvider>[0],
    env: Record<string, string | undefined>
  ) {
    const proxy = await startLoopbackProxy();
    try {
      const proxyEnv = { HTTP_PROXY: proxy.url, http_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };
      await withEnv({ ...env, ...proxyEnv }, async () => {
        const provider = credentialProvider(
          dataSource,
          authPolicy({}, {}),
          'us-east-1',
          process.env,
          proxyAwareRequestHandler()
        );
        await expect(provider()).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) });
      });
      expect(proxy.calls.map((c) => c.operation)).toEqual(['AssumeRole']);
    } finally {
      await proxy.close();
    }
  }
});

describe('assume role: the STS client reads bounded bodies (responseGuard)', () => {
  let server: AnsweringServer;
  beforeAll(async () => {
    server = await startAnsweringServer();
  });
  afterAll(() => server.close());

  const assumeRole = (endpoint: string) =>
    credentialProvider(
      { ...base, assumeRoleArn: 'arn:aws:iam::123456789012:role/reader', endpoint },
      authPolicy({}, {}),
      'us-east-1',
      process.env
    );

  test('an endless sts:AssumeRole answer is cut off at the bound instead of being buffered whole', async () => {
    server.bytesSent = 0;
    server.answer = (res) =>
      streamEndlessly(server, res, {
        contentType: 'text/xml',
        prefix: '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>',
        chunk: `<Credentials><SessionToken>${'A'.repeat(64 * 1024)}</SessionToken></Credentials>`,
        capBytes: 4 * DEFAULT_RESPONSE_LIMIT_BYTES,
      });
    const error = await assumeRole(server.url)().then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(AssumeRoleError);
    expect((error as AssumeRoleError).cause).toBeInstanceOf(ResponseTooLargeError);
    // The socket was closed soon after the bound (socket buffers allow some slack).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.bytesSent).toBeLessThan(DEFAULT_RESPONSE_LIMIT_BYTES + 16 * 1024 * 1024);
  });

  test('each refresh assumes the role again through the same guarded client', async () => {
    const sim = await startSimulator({
      seed: 'credentials',
      credentials: [{ accessKeyId: 'AKIDONE', secretAccessKey: 'very-secret' }],
    });
    try {
      const provider = assumeRole(sim.url);
      const first = await provider();
      const second = await provider();
      expect(first.sessionToken).toBeTruthy();
      expect(second.sessionToken).toBeTruthy();
      expect(sim.calls().AssumeRole).toBe(2);
    } finally {
      await sim.stop();
    }
  });
});
