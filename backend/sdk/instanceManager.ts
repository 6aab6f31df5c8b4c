/**
 * Caches data source instances the way grafana-plugin-sdk-go's instance provider does, keyed so
 * that nothing crosses tenants: org id + uid (Grafana's uid is unique per org only) + a hash of the
 * Grafana config the request carries (it changes behaviour, e.g. the AWS auth policy or a proxy).
 * A request with a different lastUpdatedMS (the settings were saved) builds a new instance; the
 * replaced one is disposed once the calls still running on it have ended. Idle instances are
 * evicted after a TTL, and the number of instances is bounded (least recently used go first).
 * Concurrent requests share one build; a failed build is not cached.
 */
import { createHash } from 'node:crypto';
import { logger as defaultLogger, type Logger } from './logger';
import type { DataSourceInstance, DataSourceInstanceSettings, InstanceFactory, PluginContext } from './types';

interface Entry {
  key: string;
  lastUpdatedMS: number;
  instance: Promise<DataSourceInstance>;
  /** Calls running on this instance right now. */
  inFlight: number;
  lastUsedMs: number;
  /** Replaced or evicted: disposed as soon as `inFlight` is 0. */
  retired: boolean;
  disposed: boolean;
}

export interface InstanceManagerOptions {
  /** An instance unused this long is disposed (the Go SDK's TTL manager uses an hour). */
  idleTtlMs?: number;
  /** At most this many instances are kept. */
  maxInstances?: number;
  now?: () => number;
}

export const DEFAULT_IDLE_TTL_MS = 60 * 60_000;
export const DEFAULT_MAX_INSTANCES = 1_000;
/** How often idle instances are looked for (at most; shorter TTLs sweep more often). */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** The cache key: org, data source, and the Grafana config (hashed: it may hold secrets). */
export function instanceKey(pluginContext: PluginContext, settings: DataSourceInstanceSettings): string {
  const config = Object.entries(pluginContext.grafanaConfig ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
  const source = settings.uid ? `uid:${settings.uid}` : `id:${settings.id}`;
  return `org:${pluginContext.orgId}#${source}#config:${configHash}`;
}

export class InstanceManager {
  private readonly entries = new Map<string, Entry>();
  private readonly idleTtlMs: number;
  private readonly maxInstances: number;
  private readonly now: () => number;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly factory: InstanceFactory,
    private readonly log: Logger = defaultLogger,
    options: InstanceManagerOptions = {}
  ) {
    this.idleTtlMs = options.idleTtlMs ?? DEFAULT_IDLE_TTL_MS;
    this.maxInstances = Math.max(1, options.maxInstances ?? DEFAULT_MAX_INSTANCES);
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.evictIdle(), Math.min(MAX_SWEEP_INTERVAL_MS, this.idleTtlMs));
    this.sweeper.unref?.();
  }

  /**
   * Runs `fn` on the instance for the context's data source; the instance is not disposed while
   * `fn` runs. Throws if the request carries no settings or the instance cannot be built.
   */
  async use<T>(pluginContext: PluginContext, fn: (instance: DataSourceInstance) => Promise<T> | T): Promise<T> {
    const entry = this.entryFor(pluginContext);
    entry.inFlight++;
    entry.lastUsedMs = this.now();
    try {
      return await fn(await entry.instance);
    } finally {
      entry.inFlight--;
      entry.lastUsedMs = this.now();
      if (entry.retired && entry.inFlight === 0) {
        void this.dispose(entry);
      }
    }
  }

  /** Disposes idle instances older than the TTL (also runs on a timer). */
  evictIdle(): void {
    const cutoff = this.now() - this.idleTtlMs;
    for (const entry of [...this.entries.values()]) {
      if (entry.inFlight === 0 && entry.lastUsedMs <= cutoff) {
        this.log.debug('disposing an idle data source instance', { key: entry.key });
        this.retire(entry);
      }
    }
  }

  /** Disposes every instance (process shutdown). */
  async disposeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((entry) => this.dispose(entry)));
  }

  get size(): number {
    return this.entries.size;
  }

  private entryFor(pluginContext: PluginContext): Entry {
    const settings = pluginContext.dataSourceInstanceSettings;
    if (!settings) {
      throw new Error('request carries no data source instance settings');
    }
    const key = instanceKey(pluginContext, settings);
    const cached = this.entries.get(key);
    if (cached && cached.lastUpdatedMS === settings.lastUpdatedMS) {
      // Touch for LRU order.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    if (cached) {
      this.log.debug('data source settings changed; rebuilding instance', { key });
      this.retire(cached);
    }
    const entry: Entry = {
      key,
      lastUpdatedMS: settings.lastUpdatedMS,
      instance: Promise.resolve().then(() => this.factory(settings, pluginContext)),
      inFlight: 0,
      lastUsedMs: this.now(),
      retired: false,
      disposed: false,
    };
    this.entries.set(key, entry);
    entry.instance.catch(() => {
      if (this.entries.get(key) === entry) {
        this.entries.delete(key);
      }
    });
    this.enforceBound();
    return entry;
  }

  /** Beyond the bound, the least recently used instances go (after their running calls). */
  private enforceBound(): void {
    for (const entry of this.entries.values()) {
      if (this.entries.size <= this.maxInstances) {
        break;
      }
      this.log.debug('too many data source instances; disposing the least recently used', { key: entry.key });
      this.retire(entry);
    }
  }

  private retire(entry: Entry): void {
    if (this.entries.get(entry.key) === entry) {
      this.entries.delete(entry.key);
    }
    entry.retired = true;
    if (entry.inFlight === 0) {
      void this.dispose(entry);
    }
  }

  private async dispose(entry: Entry): Promise<void> {
    if (entry.disposed) {
      return;
    }
    entry.disposed = true;
    let instance: DataSourceInstance;
    try {
      instance = await entry.instance;
    } catch {
      return; // A failed build has nothing to dispose (its error went to the caller).
    }
    try {
      await instance.dispose?.();
    } catch (error) {
      this.log.warn('disposing a data source instance failed', { error });
    }
  }
}
