import {
  endpointLabel,
  endpointRefusal,
  isCloudTrailEndpoint,
  isLinkLocal,
  parseAllowedEndpoints,
  usesServerCredentials,
} from './endpointPolicy';
import { parseSettings } from './settings';

const NONE = { allowedOrigins: [] };

describe('link-local addresses', () => {
  test.each([
    '169.254.169.254',
    '169.254.170.2',
    '169.254.170.23',
    '[fd00:ec2::254]',
    'fd00:ec2::23',
    '[fe80::1]',
    'febf::1',
    '[::ffff:169.254.169.254]',
    '::ffff:a9fe:a9fe',
  ])('%s is link-local', (host) => {
    expect(isLinkLocal(host)).toBe(true);
  });

  test.each([
    '127.0.0.1',
    '10.0.0.1',
    '169.255.0.1',
    '[::1]',
    'fd00:ec3::1',
    'fec0::1',
    'example.com',
    '[::ffff:10.0.0.1]',
  ])('%s is not', (host) => {
    expect(isLinkLocal(host)).toBe(false);
  });

  test('every spelling the URL parser accepts for the metadata address is refused, for every auth type', () => {
    for (const endpoint of [
      'http://169.254.169.254/latest',
      'http://2852039166/',
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://0251.0376.0251.0376/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      for (const authType of ['keys', 'default', 'credentials', 'ec2_iam_role']) {
        expect(endpointRefusal({ authType, endpoint }, { allowedOrigins: [new URL(endpoint).origin] })).toMatch(
          /is a link-local address .*: no data source may send requests to it\.$/
        );
      }
    }
  });
});

describe("CloudTrail's own endpoints", () => {
  test.each([
    'https://cloudtrail.us-east-1.amazonaws.com',
    'https://cloudtrail-fips.us-gov-west-1.amazonaws.com/',
    'https://cloudtrail.cn-north-1.amazonaws.com.cn',
    'https://cloudtrail.eu-west-1.api.aws',
    'https://vpce-0a1b2c3d4e5f-abcdefgh.cloudtrail.us-east-1.vpce.amazonaws.com',
    'https://vpce-0a1b2c3d4e5f-abcdefgh-us-east-1a.cloudtrail.us-east-1.vpce.amazonaws.com',
    'https://CloudTrail.US-EAST-1.AmazonAWS.com.',
  ])('%s is accepted for the server’s credentials', (endpoint) => {
    expect(isCloudTrailEndpoint(new URL(endpoint))).toBe(true);
    expect(endpointRefusal({ authType: 'default', endpoint }, NONE)).toBeUndefined();
  });

  test.each([
    ['http://cloudtrail.us-east-1.amazonaws.com', 'not https'],
    ['https://abc123.execute-api.us-east-1.amazonaws.com', "anyone's API Gateway"],
    ['https://my-bucket.s3.us-east-1.amazonaws.com', "anyone's bucket"],
    ['https://cloudtrail.us-east-1.amazonaws.com.evil.example', 'a look-alike domain'],
    ['https://amazonaws.com', 'the bare domain'],
    ['https://evilamazonaws.com', 'a suffix without a dot'],
    ['https://cloudtrail.internal.example:8443', 'a private host'],
    ['https://user:pw@cloudtrail.us-east-1.amazonaws.com', 'user info'],
  ])('%s is refused for the server’s credentials (%s)', (endpoint) => {
    expect(isCloudTrailEndpoint(new URL(endpoint))).toBe(false);
    expect(endpointRefusal({ authType: 'default', endpoint }, NONE)).toContain('allowed_endpoints');
  });
});

describe('endpointRefusal', () => {
  const foreign = 'http://127.0.0.1:9999';

  test('the server’s credentials, alone or under an assumed role, may use a foreign endpoint only when allowed', () => {
    for (const authType of ['default', 'ec2_iam_role', 'credentials']) {
      for (const assumeRoleArn of [undefined, 'arn:aws:iam::123456789012:role/r']) {
        const refusal = endpointRefusal({ authType, endpoint: foreign, assumeRoleArn }, NONE);
        expect(refusal).toContain(`Endpoint ${foreign} is refused`);
        expect(refusal).toContain(`authentication "${authType}"`);
        expect(refusal).toContain(
          'allowed_endpoints in [plugin.trailwatch-cloudtrailinsights-datasource] of grafana.ini (or CLOUDTRAIL_ALLOWED_ENDPOINTS)'
        );
        expect(
          endpointRefusal({ authType, endpoint: `${foreign}/`, assumeRoleArn }, { allowedOrigins: [foreign] })
        ).toBeUndefined();
      }
    }
  });

  test('own keys keep any endpoint that is not link-local; no endpoint is never refused', () => {
    expect(usesServerCredentials('keys')).toBe(false);
    expect(endpointRefusal({ authType: 'keys', endpoint: foreign }, NONE)).toBeUndefined();
    expect(endpointRefusal({ authType: 'keys', endpoint: 'http://simulator:4599' }, NONE)).toBeUndefined();
    expect(endpointRefusal({ authType: 'default' }, NONE)).toBeUndefined();
  });

  test('the origin must match exactly: scheme, host and port', () => {
    const allowed = { allowedOrigins: ['http://127.0.0.1:9999'] };
    expect(endpointRefusal({ authType: 'default', endpoint: 'https://127.0.0.1:9999' }, allowed)).toBeDefined();
    expect(endpointRefusal({ authType: 'default', endpoint: 'http://127.0.0.1:9998' }, allowed)).toBeDefined();
    expect(endpointRefusal({ authType: 'default', endpoint: 'http://localhost:9999' }, allowed)).toBeDefined();
  });

  test('a refusal never shows user info of the endpoint', () => {
    const refusal = endpointRefusal({ authType: 'default', endpoint: 'http://opsuser:hunter2@10.1.2.3:8080/x' }, NONE);
    expect(refusal).toContain('Endpoint http://10.1.2.3:8080/x is refused');
    expect(refusal).not.toContain('hunter2');
    expect(refusal).not.toContain('opsuser');
  });
});

describe('allowed_endpoints', () => {
  test('comma-separated origins, normalized; anything else is left out and reported without its user info', () => {
    const { policy, invalid } = parseAllowedEndpoints(
      ' http://simulator:4599 , HTTPS://Gateway.Corp.Example:443/,http://simulator:4599,ftp://x,http://u:secret@h,https://h/path,not a url, '
    );
    expect(policy.allowedOrigins).toEqual(['http://simulator:4599', 'https://gateway.corp.example']);
    expect(invalid).toEqual(['ftp://x', 'http://h', 'https://h/path', 'not a url']);
    expect(parseAllowedEndpoints(undefined)).toEqual({ policy: { allowedOrigins: [] }, invalid: [] });
  });
});

describe('labels', () => {
  test('user info, query and fragment never shown', () => {
    expect(endpointLabel('https://user:pass@host.example:8443/a?token=x#y')).toBe('https://host.example:8443/a');
    expect(endpointLabel('user:pass@host')).toBe('a user: URL');
    expect(endpointLabel('ftp://u:p@files.example/x')).toBe('ftp://files.example');
    expect(endpointLabel('//u:p@host')).toBe('(an endpoint with user info)');
  });

  test('a settings error about the endpoint does not echo its user info', () => {
    const parsed = parseSettings({
      jsonData: { endpoint: 'ftp://admin:hunter2@files.example' },
      decryptedSecureJsonData: {},
    });
    expect(parsed).toMatchObject({ ok: false });
    expect(JSON.stringify(parsed)).not.toContain('hunter2');
  });
});
