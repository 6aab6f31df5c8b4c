import { ClientPool } from './clients';
import { authPolicy } from './settings';

const pool = () =>
  new ClientPool(
    {
      authType: 'keys',
      defaultRegion: 'eu-west-1',
      accessKey: 'AK',
      secretKey: 'SK',
      endpoint: 'http://127.0.0.1:4599',
    },
    authPolicy({}, {})
  );

test('one client per region, reused, with SDK retries off and the custom endpoint', async () => {
  const p = pool();
  const a = p.cloudTrailClient('eu-west-1');
  expect(p.cloudTrailClient('eu-west-1')).toBe(a);
  expect(p.cloudTrailClient('us-east-1')).not.toBe(a);
  expect(p.size).toBe(2);
  expect(await a.config.maxAttempts()).toBe(1);
  expect(await a.config.region()).toBe('eu-west-1');
  const endpoint = await a.config.endpoint!();
  expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe('http://127.0.0.1:4599');
  p.dispose();
  expect(p.size).toBe(0);
});

test('region: the query override, else the default region; scope names the endpoint', () => {
  const p = pool();
  expect(p.region()).toBe('eu-west-1');
  expect(p.region('ap-south-1')).toBe('ap-south-1');
  expect(p.scope('ap-south-1')).toEqual({
    identity: p.identity,
    region: 'ap-south-1',
    endpointLabel: 'http://127.0.0.1:4599',
  });
  expect(p.identity).not.toContain('SK');
});
