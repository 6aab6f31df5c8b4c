import { InstanceManager, instanceKey, type InstanceManagerOptions } from './instanceManager';
import { createLogger } from './logger';
import type { DataSourceInstance, DataSourceInstanceSettings, InstanceFactory, PluginContext } from './types';

const quiet = createLogger({ write: () => undefined });

function context(
  uid: string,
  lastUpdatedMS: number,
  extra: { orgId?: number; jsonData?: Record<string, unknown>; grafanaConfig?: Record<string, string> } = {}
): PluginContext {
  const settings: DataSourceInstanceSettings = {
    id: 1,
    uid,
    name: uid,
    url: '',
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: (extra.jsonData ?? {}) as DataSourceInstanceSettings['jsonData'],
    decryptedSecureJsonData: {},
    lastUpdatedMS,
  };
  return {
    orgId: extra.orgId ?? 1,
    pluginId: 'p',
    grafanaConfig: extra.grafanaConfig ?? {},
    pluginVersion: '',
    userAgent: '',
    dataSourceInstanceSettings: settings,
  };
}

interface Built {
  uid: string;
  orgId: number;
  jsonData: unknown;
  disposed: boolean;
}
type Recorded = DataSourceInstance & { record: Built };

function countingFactory() {
  const built: Built[] = [];
  const factory: InstanceFactory = (settings, pluginContext) => {
    const record = { uid: settings.uid, orgId: pluginContext.orgId, jsonData: settings.jsonData, disposed: false };
    built.push(record);
    const instance: Recorded = {
      record,
      dispose: () => {
        record.disposed = true;
      },
    };
    return instance;
  };
  return { factory, built };
}

const managers: InstanceManager[] = [];
function manager(factory: InstanceFactory, options?: InstanceManagerOptions) {
  const m = new InstanceManager(factory, quiet, options);
  managers.push(m);
  return m;
}
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.disposeAll()));
});

const instanceOf = (m: InstanceManager, ctx: PluginContext) => m.use(ctx, (i) => i as Recorded);
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Starts a call on the instance and keeps it running until `end()`. */
function holdCall(m: InstanceManager, ctx: PluginContext) {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  let started!: (i: Recorded) => void;
  const instance = new Promise<Recorded>((resolve) => (started = resolve));
  const call = m.use(ctx, async (i) => {
    started(i as Recorded);
    await ended;
  });
  return { instance, end, call };
}

describe('InstanceManager', () => {
  it('caches one instance per org and uid', async () => {
    const { factory, built } = countingFactory();
    const m = manager(factory);
    const a1 = await instanceOf(m, context('a', 1));
    const a2 = await instanceOf(m, context('a', 1));
    const b = await instanceOf(m, context('b', 1));
    expect(a1).toBe(a2);
    expect(b).not.toBe(a1);
    expect(built.map((r) => r.uid)).toEqual(['a', 'b']);
  });

  it('the same uid in two orgs gets two instances with their own settings, without rebuilding back and forth', async () => {
    const { factory, built } = countingFactory();
    const m = manager(factory);
    const org1 = context('same-uid', 10, { orgId: 1, jsonData: { team: 'one' } });
    const org2 = context('same-uid', 20, { orgId: 2, jsonData: { team: 'two' } });
    for (let i = 0; i < 3; i++) {
      expect((await instanceOf(m, org1)).record).toMatchObject({ orgId: 1, jsonData: { team: 'one' } });
      expect((await instanceOf(m, org2)).record).toMatchObject({ orgId: 2, jsonData: { team: 'two' } });
    }
    expect(built).toHaveLength(2);
    expect(built.some((r) => r.disposed)).toBe(false);
    // Equal lastUpdatedMS in both orgs still keeps them apart.
    const sameStamp = await instanceOf(m, context('same-uid', 10, { orgId: 2, jsonData: { team: 'two' } }));
    expect(sameStamp.record.orgId).toBe(2);
  });

  it('the Grafana config is part of the key (order of its entries is not)', async () => {
    const { factory, built } = countingFactory();
    const m = manager(factory);
    const strict = { AWS_AUTH_AllowedAuthProviders: 'keys', AWS_AUTH_AssumeRoleEnabled: 'false' };
    const loose = { AWS_AUTH_AllowedAuthProviders: 'default,keys' };
    const a = await instanceOf(m, context('a', 1, { grafanaConfig: strict }));
    const b = await instanceOf(m, context('a', 1, { grafanaConfig: loose }));
    const reordered = { AWS_AUTH_AssumeRoleEnabled: 'false', AWS_AUTH_AllowedAuthProviders: 'keys' };
    expect(await instanceOf(m, context('a', 1, { grafanaConfig: reordered }))).toBe(a);
    expect(b).not.toBe(a);
    expect(built).toHaveLength(2);
    const key = instanceKey(context('a', 1, { grafanaConfig: strict }), context('a', 1).dataSourceInstanceSettings!);
    expect(key).toMatch(/^org:1#uid:a#config:[0-9a-f]{16}$/);
  });

  it('a replaced instance is disposed only after the calls running on it end', async () => {
    const { factory, built } = countingFactory();
    const m = manager(factory);
    const running = holdCall(m, context('a', 1));
    const first = await running.instance;
    const second = await instanceOf(m, context('a', 2));
    await settle();
    expect(second).not.toBe(first);
    expect(first.record.disposed).toBe(false);
    running.end();
    await running.call;
    await settle();
    expect(first.record.disposed).toBe(true);
    expect(second.record.disposed).toBe(false);
    expect(built).toHaveLength(2);
    expect(m.size).toBe(1);
  });

  it('idle instances are evicted after the TTL; busy ones are kept until idle', async () => {
    let now = 0;
    const { factory } = countingFactory();
    const m = manager(factory, { idleTtlMs: 1000, now: () => now });
    const idle = await instanceOf(m, context('idle', 1));
    const busy = holdCall(m, context('busy', 1));
    const busyInstance = await busy.instance;
    now = 1500;
    m.evictIdle();
    await settle();
    expect(idle.record.disposed).toBe(true);
    expect(busyInstance.record.disposed).toBe(false);
    expect(m.size).toBe(1);
    busy.end();
    await busy.call;
    now = 2000;
    m.evictIdle();
    expect(m.size).toBe(1); // used until 1500: not idle for a full TTL yet
    now = 2600;
    m.evictIdle();
    await settle();
    expect(busyInstance.record.disposed).toBe(true);
    expect(m.size).toBe(0);
    // A later request builds a fresh instance.
    expect((await instanceOf(m, context('idle', 1))).record.disposed).toBe(false);
  });

  it('the number of instances is bounded, least recently used first', async () => {
    const { factory } = countingFactory();
    const m = manager(factory, { maxInstances: 2 });
    const a = await instanceOf(m, context('a', 1));
    const b = await instanceOf(m, context('b', 1));
    await instanceOf(m, context('a', 1)); // a is now the most recent
    const c = await instanceOf(m, context('c', 1));
    await settle();
    expect(m.size).toBe(2);
    expect(b.record.disposed).toBe(true);
    expect(a.record.disposed).toBe(false);
    expect(c.record.disposed).toBe(false);
  });

  it('shares one build between concurrent requests', async () => {
    let calls = 0;
    const m = manager(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return {};
    });
    const [x, y] = await Promise.all([instanceOf(m, context('a', 1)), instanceOf(m, context('a', 1))]);
    expect(x).toBe(y);
    expect(calls).toBe(1);
  });

  it('does not cache a failed build', async () => {
    let attempt = 0;
    const m = manager(() => {
      attempt++;
      if (attempt === 1) {
        throw new Error('bad settings');
      }
      return {};
    });
    await expect(instanceOf(m, context('a', 1))).rejects.toThrow('bad settings');
    await expect(instanceOf(m, context('a', 1))).resolves.toEqual({});
  });

  it('requires data source settings and disposes everything on disposeAll', async () => {
    const { factory, built } = countingFactory();
    const m = manager(factory);
    await expect(instanceOf(m, { ...context('a', 1), dataSourceInstanceSettings: undefined })).rejects.toThrow(
      /no data source instance settings/
    );
    await instanceOf(m, context('a', 1));
    await instanceOf(m, context('b', 1));
    await m.disposeAll();
    expect(built.every((r) => r.disposed)).toBe(true);
    expect(m.size).toBe(0);
  });
});
