import { authNotAllowed, authPolicy, parseSettings } from './settings';

const parse = (jsonData: Record<string, unknown>, secure: Record<string, string> = {}) =>
  parseSettings({ jsonData, decryptedSecureJsonData: secure });

describe('parseSettings', () => {
  test('defaults: default chain in us-east-1', () => {
    expect(parse({})).toEqual({
      ok: true,
      settings: expect.objectContaining({ authType: 'default', defaultRegion: 'us-east-1' }),
    });
  });

  test('reads every key and keeps secrets apart from jsonData', () => {
    const result = parse(
      {
        authType: 'keys',
        profile: ' p ',
        defaultRegion: 'eu-west-1',
        assumeRoleArn: 'arn:aws:iam::1:role/r',
        externalId: 'x',
        endpoint: 'http://127.0.0.1:4599',
      },
      { accessKey: 'AK', secretKey: 'SK', sessionToken: 'ST' }
    );
    expect(result).toEqual({
      ok: true,
      settings: {
        authType: 'keys',
        profile: 'p',
        defaultRegion: 'eu-west-1',
        assumeRoleArn: 'arn:aws:iam::1:role/r',
        externalId: 'x',
        endpoint: 'http://127.0.0.1:4599',
        accessKey: 'AK',
        secretKey: 'SK',
        sessionToken: 'ST',
      },
    });
  });

  test("Grafana's old sharedCreds name means credentials", () => {
    expect(parse({ authType: 'sharedCreds' })).toMatchObject({ ok: true, settings: { authType: 'credentials' } });
  });

  test.each([
    [{ authType: 'magic' }, {}, 'Unknown authentication provider "magic"'],
    [{ defaultRegion: 'Mars' }, {}, 'Default region "Mars"'],
    [{ endpoint: 'not a url' }, {}, 'is not an http(s) URL'],
    [{ endpoint: 'ftp://host' }, {}, 'is not an http(s) URL'],
    [{ authType: 'keys' }, { accessKey: 'AK' }, 'needs both an access key ID and a secret access key'],
  ])('rejects %j with a clear message', (json, secure, message) => {
    const result = parse(json, secure as Record<string, string>);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });
});

describe('authPolicy', () => {
  test("Grafana's defaults when nothing is set", () => {
    expect(authPolicy({}, {})).toEqual({
      allowedAuthProviders: ['default', 'keys', 'credentials'],
      assumeRoleEnabled: true,
      grafanaExternalId: undefined,
    });
  });

  test('grafanaConfig first, env second', () => {
    const env = {
      AWS_AUTH_AllowedAuthProviders: 'keys',
      AWS_AUTH_AssumeRoleEnabled: 'false',
      AWS_AUTH_EXTERNAL_ID: 'env-ext',
    };
    expect(authPolicy({}, env)).toEqual({
      allowedAuthProviders: ['keys'],
      assumeRoleEnabled: false,
      grafanaExternalId: 'env-ext',
    });
    expect(
      authPolicy({ AWS_AUTH_AllowedAuthProviders: 'ec2_iam_role, keys', AWS_AUTH_AssumeRoleEnabled: 'true' }, env)
    ).toEqual({
      allowedAuthProviders: ['ec2_iam_role', 'keys'],
      assumeRoleEnabled: true,
      grafanaExternalId: 'env-ext',
    });
  });
});

describe('authNotAllowed', () => {
  const settings = (json: Record<string, unknown>) => {
    const r = parse(json, { accessKey: 'a', secretKey: 'b' });
    if (!r.ok) {
      throw new Error(r.error);
    }
    return r.settings;
  };

  test('allowed provider without a role passes', () => {
    expect(authNotAllowed(settings({ authType: 'keys' }), authPolicy({}, {}))).toBeUndefined();
  });

  test('names the provider and what is allowed', () => {
    expect(authNotAllowed(settings({ authType: 'ec2_iam_role' }), authPolicy({}, {}))).toContain(
      'Authentication provider "ec2_iam_role" is not allowed by this Grafana server (allowed: default, keys, credentials)'
    );
  });

  test('assume role when the server disabled it', () => {
    const policy = authPolicy({ AWS_AUTH_AssumeRoleEnabled: 'false' }, {});
    expect(authNotAllowed(settings({ authType: 'keys', assumeRoleArn: 'arn:aws:iam::1:role/r' }), policy)).toContain(
      'Assuming a role is disabled'
    );
  });
});
