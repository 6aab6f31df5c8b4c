import { logger } from '../../../sdk/logger';
import { RateLimiter } from '../../pacing/rateLimiter';
import { LocalQuotaGate } from '../localCoordination';
import { QUOTA_KEY_SUFFIXES } from './quotaScript';
import { redisKey } from './redisKeys';
import { ALERT_RUN } from '../../pacing/callPriority';
import { RedisQuotaGate } from './redisQuotaGate';
import { redisForEachTest } from './testing/replicas';
import type { CallPriority } from '../types';

jest.setTimeout(60_000);

const t = redisForEachTest();

/** One "replica": its own connection, gate and local fallback. */
function replica(fallbackReplicas = 3) {
  const link = t.open({ CLOUDTRAIL_REPLICAS: String(fallbackReplicas) });
  return { link, gate: new RedisQuotaGate(link, new LocalQuotaGate(new RateLimiter(), 1 / fallbackReplicas)) };
}

const key = { id: 'account=123456789012|region=us-east-1|operation=ListInsightsMetricData' };

describe('RedisQuotaGate', () => {
  it('spaces calls of two replicas on one key by 1/TPS plus the margin', async () => {
    const a = replica();
    const b = replica();
    const granted: number[] = [];
    const take = (gate: RedisQuotaGate) => gate.acquire(key, 10).then(() => granted.push(Date.now()));
    await Promise.all([take(a.gate), take(b.gate), take(a.gate), take(b.gate), take(a.gate), take(b.gate)]);
    granted.sort((x, y) => x - y);
    const gaps = granted.slice(1).map((t, i) => t - granted[i]);
    // 110 ms spacing on Redis' clock (two unshared limiters would grant in pairs, ~0 ms apart);
    // our own observation of each grant can be late by timer jitter on a loaded machine.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
    expect(granted[5] - granted[0]).toBeGreaterThanOrEqual(450);
  });

  it('keeps separate keys independent', async () => {
    const a = replica();
    const started = Date.now();
    await Promise.all([a.gate.acquire({ id: 'k1' }, 1), a.gate.acquire({ id: 'k2' }, 1)]);
    expect(Date.now() - started).toBeLessThan(900);
  });

  /**
   * Holds the quota (as a throttle would), queues the callers one after the other (each has its
   * place before the next joins), and answers the order they were granted in.
   */
  async function grantOrder(callers: Array<[RedisQuotaGate, string, CallPriority]>): Promise<string[]> {
    const order: string[] = [];
    callers[0][0].backOff(key, 2_000);
    const all: Array<Promise<unknown>> = [];
    for (const [gate, name, priority] of callers) {
      await new Promise<void>((queued) => {
        all.push(gate.acquire(key, 20, { priority, onQueued: () => queued() }).then(() => order.push(name)));
      });
    }
    await Promise.all(all);
    return order;
  }

  it('lets an alert evaluation go ahead of queued dashboard queries, and background work last', async () => {
    const a = replica();
    const b = replica();
    const order = await grantOrder([
      [b.gate, 'background', 'background'],
      [a.gate, 'panel1', 'interactive'],
      [b.gate, 'panel2', 'interactive'],
      [a.gate, 'alert', 'alert'],
    ]);
    expect(order).toEqual(['alert', 'panel1', 'panel2', 'background']);
  });

  it('serves a waiting dashboard query after at most ALERT_RUN alerts in a row', async () => {
    const a = replica();
    const b = replica();
    const alerts = Array.from({ length: ALERT_RUN + 2 }, (_, i): [RedisQuotaGate, string, CallPriority] => [
      i % 2 ? a.gate : b.gate,
      `alert${i}`,
      'alert',
    ]);
    const order = await grantOrder([[b.gate, 'panel', 'interactive'], ...alerts]);
    expect(order.indexOf('panel')).toBe(ALERT_RUN);
    expect(order.filter((name) => name.startsWith('alert'))).toEqual(alerts.map(([, name]) => name));
  });

  it('gives an aborted waiter its place back', async () => {
    const a = replica();
    const b = replica();
    await a.gate.acquire(key, 1);
    const started = Date.now();
    const controller = new AbortController();
    const aborted = b.gate.acquire(key, 1, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    const next = a.gate.acquire(key, 1).then(() => Date.now() - started);
    setTimeout(() => controller.abort(new Error('cancelled')), 100);
    await expect(aborted).rejects.toThrow('cancelled');
    // Its slot (1.1 s) goes to the next waiter instead of the one after it (2.2 s).
    expect(await next).toBeLessThan(1_900);
  });

  it('refuses at once a slot past the deadline, naming the shared quota', async () => {
    const a = replica();
    const b = replica();
    await a.gate.acquire(key, 1);
    const started = Date.now();
    await expect(b.gate.acquire(key, 1, { deadlineMs: Date.now() + 300 })).rejects.toThrow(
      /wait about 1 s .* quota of 1 call\(s\) per second shared by all replicas/
    );
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('shares the push-back of a throttled answer', async () => {
    const a = replica();
    const b = replica();
    a.gate.backOff(key, 800);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await b.gate.acquire(key, 10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('drops the queued waiter of a replica that died, after its lease', async () => {
    const dead = replica();
    const b = replica();
    await b.gate.acquire(key, 1);
    // A waiter of another process queues (one 'take'), then that process is gone: no polls, no leave.
    const base = redisKey(dead.link.config.prefix, 'quota', key);
    const keys = QUOTA_KEY_SUFFIXES.map((s) => `${base}:${s}`);
    await dead.link.client.cloudtrailQuota(...keys, 'take', 'orphan', 'interactive', 1100, 3000, -1, 4);
    await dead.link.close();
    const started = Date.now();
    await b.gate.acquire(key, 1);
    // It waits for the orphan's lease (3 s) at most, not forever.
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});

describe('RedisQuotaGate without Redis', () => {
  it('falls back to the local limiter at 1/N of the quota, and shares again when Redis is back', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const a = replica(2);
    await a.gate.acquire(key, 10);
    expect(a.link.mode).toBe('connected');
    await t.redis.stop();
    try {
      // The first acquire notices; then each call is paced at 10/2 = 5 TPS (220 ms) locally.
      const started = Date.now();
      for (let i = 0; i < 4; i++) {
        await a.gate.acquire(key, 10);
      }
      expect(a.link.mode).toBe('fallback');
      expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 200);
    } finally {
      await t.redis.start();
    }
    const deadline = Date.now() + 10_000;
    while (a.link.mode !== 'connected' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(a.link.mode).toBe('connected');
    expect(warn.mock.calls.map(([message]) => message)).toEqual([expect.stringMatching(/^Redis unreachable.*1\/2/)]);
    warn.mockRestore();
  });
});
