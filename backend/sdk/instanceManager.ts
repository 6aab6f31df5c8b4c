/**
 * Caches one DataSourceInstance per data source uid. When a request arrives with a different
 * lastUpdatedMS (the settings were saved), the instance is rebuilt and the old one disposed.
 * Concurrent requests share one build; a failed build is not cached.
 */
import { logger as defaultLogger, type Logger } from './logger';
import type { DataSourceInstance, DataSourceInstanceSettings, InstanceFactory, PluginContext } from './types';

interface Entry {
  lastUpdatedMS: number;
  instance: Promise<DataSourceInstance>;
}

export class InstanceManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly factory: InstanceFactory,
    private readonly log: Logger = defaultLogger
  ) {}

  /** The instance for the context's data source; throws if the request carries no settings. */
  async get(pluginContext: PluginContext): Promise<DataSourceInstance> {
    const settings = pluginContext.dataSourceInstanceSettings;
    if (!settings) {
      throw new Error('request carries no data source instance settings');
    }
    const key = settings.uid || `id:${settings.id}`;
    const cached = this.entries.get(key);
    if (cached && cached.lastUpdatedMS === settings.lastUpdatedMS) {
      return cached.instance;
    }
    const entry: Entry = { lastUpdatedMS: settings.lastUpdatedMS, instance: this.build(settings, pluginContext) };
    this.entries.set(key, entry);
    if (cached) {
      this.log.debug('data source settings changed; rebuilding instance', { uid: key });
      void this.disposeLater(cached);
    }
    entry.instance.catch(() => {
      if (this.entries.get(key) === entry) {
        this.entries.delete(key);
      }
    });
    return entry.instance;
  }

  /** Disposes every cached instance (process shutdown). */
  async disposeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((entry) => this.disposeLater(entry)));
  }

  get size(): number {
    return this.entries.size;
  }

  private async build(settings: DataSourceInstanceSettings, pluginContext: PluginContext): Promise<DataSourceInstance> {
    return this.factory(settings, pluginContext);
  }

  private async disposeLater(entry: Entry): Promise<void> {
    try {
      const instance = await entry.instance;
      await instance.dispose?.();
    } catch (error) {
      this.log.warn('disposing a data source instance failed', { error });
    }
  }
}
