import { authNotAllowed, authPolicy, parseGrafanaDuration, parseSettings } from './settings';

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

  test('whitespace-only values count as unset', () => {
    expect(parse({ authType: ' ', defaultRegion: '  ', profile: ' ', endpoint: ' ' })).toStrictEqual({
      ok: true,
      settings: {
        authType: 'default',
        profile: undefined,
        defaultRegion: 'us-east-1',
        assumeRoleArn: undefined,
        externalId: undefined,
        endpoint: undefined,
        accessKey: undefined,
        secretKey: undefined,
        sessionToken: undefined,
      },
    });
    expect(parse({ authType: 'keys' }, { accessKey: 'AK', secretKey: '   ' })).toEqual({
      ok: false,
      error: 'Authentication "Access & secret key" needs both an access key ID and a secret access key.',
    });
  });

  test('accepts http and https endpoints', () => {
    for (const endpoint of ['https://cloudtrail.us-east-1.amazonaws.com', 'http://localhost:4599']) {
      expect(parse({ endpoint })).toMatchObject({ ok: true, settings: { endpoint } });
    }
  });

  test("Grafana's old arn name means the default chain (with a role to assume)", () => {
    expect(parse({ authType: 'arn' })).toMatchObject({ ok: true, settings: { authType: 'default' } });
  });

  test('an unknown provider is named with the ones to use instead', () => {
    expect(parse({ authType: 'magic' })).toEqual({
      ok: false,
      error: 'Unknown authentication provider "magic"; use one of default, keys, credentials, ec2_iam_role.',
    });
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
  test("Grafana's defaults when nothing is set, and that nothing was forwarded", () => {
    expect(authPolicy({}, {})).toEqual({
      allowedAuthProviders: ['default', 'keys', 'credentials'],
      assumeRoleEnabled: true,
      sessionDurationSeconds: 900,
      forwarded: false,
    });
  });

  test('grafanaConfig first, env second; Grafana’s external_id is not part of a data source’s policy', () => {
    const env = {
      AWS_AUTH_AllowedAuthProviders: 'keys',
      AWS_AUTH_AssumeRoleEnabled: 'false',
      AWS_AUTH_EXTERNAL_ID: 'env-ext',
    };
    expect(authPolicy({}, env)).toEqual({
      allowedAuthProviders: ['keys'],
      assumeRoleEnabled: false,
      sessionDurationSeconds: 900,
      forwarded: true,
    });
    expect(
      authPolicy(
        {
          AWS_AUTH_AllowedAuthProviders: 'ec2_iam_role, keys',
          AWS_AUTH_AssumeRoleEnabled: 'true',
          AWS_AUTH_SESSION_DURATION: '1h',
        },
        env
      )
    ).toEqual({
      allowedAuthProviders: ['ec2_iam_role', 'keys'],
      assumeRoleEnabled: true,
      sessionDurationSeconds: 3600,
      forwarded: true,
    });
  });

  test('any AWS_AUTH_* key means Grafana forwards the [aws] settings (it sends only what differs from nothing)', () => {
    expect(authPolicy({ AWS_AUTH_SESSION_DURATION: '15m' }, {}).forwarded).toBe(true);
    expect(authPolicy({ AWS_AUTH_AssumeRoleEnabled: 'false' }, {}).forwarded).toBe(true);
    expect(authPolicy({ GF_CONCURRENT_QUERY_COUNT: '10' }, {}).forwarded).toBe(false);
  });

  test.each([
    ['30m', 1800],
    ['15m', 900],
    ['1h30m', 5400],
    ['2.5h', 9000],
    ['3600s', 3600],
    ['1d', 86_400],
    ['', 900],
    ['soon', 900],
    ['-5m', 900],
  ])('[aws] session_duration = %s is %i seconds (unparseable: the 15 min default)', (text, seconds) => {
    expect(authPolicy({ AWS_AUTH_SESSION_DURATION: text }, {}).sessionDurationSeconds).toBe(seconds);
  });

  test('Grafana’s duration syntax', () => {
    expect(parseGrafanaDuration('1h30m')).toBe(5_400_000);
    expect(parseGrafanaDuration('500ms')).toBe(500);
    expect(parseGrafanaDuration('2w')).toBe(14 * 86_400_000);
    expect(parseGrafanaDuration('0')).toBe(0);
    expect(parseGrafanaDuration('1h 30m')).toBeUndefined();
    expect(parseGrafanaDuration('m')).toBeUndefined();
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

  test('a refusal under Grafana’s defaults says no [aws] setting was forwarded, and how to forward them', () => {
    const unforwarded = authNotAllowed(settings({ authType: 'ec2_iam_role' }), authPolicy({}, {}));
    expect(unforwarded).toContain('[aws] allowed_auth_providers');
    expect(unforwarded).toContain('add trailwatch-cloudtrailinsights-datasource to [aws] forward_settings_to_plugins');
    const forwarded = authNotAllowed(
      settings({ authType: 'ec2_iam_role' }),
      authPolicy({ AWS_AUTH_AllowedAuthProviders: 'keys' }, {})
    );
    expect(forwarded).not.toContain('forward_settings_to_plugins');
  });

  test('the endpoint policy is checked last, after the provider and assume role', () => {
    const policy = authPolicy({ AWS_AUTH_AllowedAuthProviders: 'default,keys' }, {});
    const endpoint = 'http://10.0.0.5:8080';
    expect(authNotAllowed(settings({ authType: 'default', endpoint }), policy, { allowedOrigins: [] })).toContain(
      'allowed_endpoints'
    );
    expect(
      authNotAllowed(settings({ authType: 'default', endpoint }), policy, { allowedOrigins: [endpoint] })
    ).toBeUndefined();
    expect(authNotAllowed(settings({ authType: 'keys', endpoint }), policy, { allowedOrigins: [] })).toBeUndefined();
  });

  test('a disabled assume role does not block settings without a role', () => {
    const policy = authPolicy({ AWS_AUTH_AssumeRoleEnabled: 'false' }, {});
    expect(authNotAllowed(settings({ authType: 'keys' }), policy)).toBeUndefined();
  });

  test('an empty allowed list says none is allowed; stray commas are ignored', () => {
    const none = authPolicy({ AWS_AUTH_AllowedAuthProviders: ',' }, {});
    expect(none.allowedAuthProviders).toEqual([]);
    expect(authNotAllowed(settings({ authType: 'keys' }), none)).toContain('(allowed: none)');
    expect(authPolicy({ AWS_AUTH_AllowedAuthProviders: 'keys,,default,' }, {}).allowedAuthProviders).toEqual([
      'keys',
      'default',
    ]);
  });

  test('assume role when the server disabled it', () => {
    const policy = authPolicy({ AWS_AUTH_AssumeRoleEnabled: 'false' }, {});
    expect(authNotAllowed(settings({ authType: 'keys', assumeRoleArn: 'arn:aws:iam::1:role/r' }), policy)).toContain(
      'Assuming a role is disabled'
    );
  });
});
