import { LookupCache } from './lookupCache';

const key = (id: string) => ({ id });

test('one call per key and TTL, shared by concurrent askers; keys never share', async () => {
  let now = 0;
  const cache = new LookupCache<string>(60_000, 10, () => now);
  let calls = 0;
  const load = (value: string) => async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 5));
    return value;
  };
  const [a, b] = await Promise.all([
    cache.get(key('acct|us-east-1'), load('x')),
    cache.get(key('acct|us-east-1'), load('y')),
  ]);
  expect([a, b, calls]).toEqual(['x', 'x', 1]);
  expect(await cache.get(key('acct|eu-west-1'), load('z'))).toBe('z');
  now = 59_999;
  expect(await cache.get(key('acct|us-east-1'), load('later'))).toBe('x');
  now = 60_000;
  expect(await cache.get(key('acct|us-east-1'), load('later'))).toBe('later');
  expect(calls).toBe(3);
});

test('a failure is not kept: the next asker calls again and may succeed', async () => {
  const cache = new LookupCache<string>();
  await expect(cache.get(key('k'), async () => Promise.reject(new Error('AccessDenied')))).rejects.toThrow(
    'AccessDenied'
  );
  expect(cache.size).toBe(0);
  expect(await cache.get(key('k'), async () => 'ok')).toBe('ok');
});

test('bounded: the oldest entries go first', async () => {
  const cache = new LookupCache<number>(60_000, 3, () => 0);
  for (let i = 0; i < 5; i++) {
    await cache.get(key(`k${i}`), async () => i);
  }
  expect(cache.size).toBe(3);
  let called = false;
  await cache.get(key('k0'), async () => {
    called = true;
    return 0;
  });
  expect(called).toBe(true);
});
