import { InstanceManager } from './instanceManager';
import { createLogger } from './logger';
import type { DataSourceInstance, DataSourceInstanceSettings, InstanceFactory, PluginContext } from './types';

const quiet = createLogger({ write: () => undefined });

function context(uid: string, lastUpdatedMS: number): PluginContext {
  const settings: DataSourceInstanceSettings = {
    id: 1,
    uid,
    name: uid,
    url: '',
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: {},
    decryptedSecureJsonData: {},
    lastUpdatedMS,
  };
  return {
    orgId: 1,
    pluginId: 'p',
    grafanaConfig: {},
    pluginVersion: '',
    userAgent: '',
    dataSourceInstanceSettings: settings,
  };
}

function countingFactory() {
  const built: Array<{ uid: string; disposed: boolean }> = [];
  const factory: InstanceFactory = (settings) => {
    const record = { uid: settings.uid, disposed: false };
    built.push(record);
    const instance: DataSourceInstance & { record: typeof record } = {
      record,
      dispose: () => {
        record.disposed = true;
      },
    };
    return instance;
  };
  return { factory, built };
}

describe('InstanceManager', () => {
  it('caches one instance per uid', async () => {
    const { factory, built } = countingFactory();
    const manager = new InstanceManager(factory, quiet);
    const a1 = await manager.get(context('a', 1));
    const a2 = await manager.get(context('a', 1));
    const b = await manager.get(context('b', 1));
    expect(a1).toBe(a2);
    expect(b).not.toBe(a1);
    expect(built.map((r) => r.uid)).toEqual(['a', 'b']);
  });

  it('rebuilds when lastUpdatedMS changes and disposes the old instance', async () => {
    const { factory, built } = countingFactory();
    const manager = new InstanceManager(factory, quiet);
    const first = await manager.get(context('a', 1));
    const second = await manager.get(context('a', 2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).not.toBe(first);
    expect(built).toEqual([
      { uid: 'a', disposed: true },
      { uid: 'a', disposed: false },
    ]);
    expect(manager.size).toBe(1);
  });

  it('shares one build between concurrent requests', async () => {
    let calls = 0;
    const manager = new InstanceManager(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return {};
    }, quiet);
    const [x, y] = await Promise.all([manager.get(context('a', 1)), manager.get(context('a', 1))]);
    expect(x).toBe(y);
    expect(calls).toBe(1);
  });

  it('does not cache a failed build', async () => {
    let attempt = 0;
    const manager = new InstanceManager(() => {
      attempt++;
      if (attempt === 1) {
        throw new Error('bad settings');
      }
      return {};
    }, quiet);
    await expect(manager.get(context('a', 1))).rejects.toThrow('bad settings');
    await expect(manager.get(context('a', 1))).resolves.toEqual({});
  });

  it('requires data source settings and disposes everything on disposeAll', async () => {
    const { factory, built } = countingFactory();
    const manager = new InstanceManager(factory, quiet);
    await expect(manager.get({ ...context('a', 1), dataSourceInstanceSettings: undefined })).rejects.toThrow(
      /no data source instance settings/
    );
    await manager.get(context('a', 1));
    await manager.get(context('b', 1));
    await manager.disposeAll();
    expect(built.every((r) => r.disposed)).toBe(true);
    expect(manager.size).toBe(0);
  });
});
