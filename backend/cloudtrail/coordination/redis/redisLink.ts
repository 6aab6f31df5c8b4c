/**
 * The one Redis connection of this process and whether coordination is shared right now.
 *
 * Any failed or slow command (connection lost, timeout, an error reply such as OOM or READONLY)
 * switches to fallback mode: callers stop asking Redis and use their local share, so a Redis
 * outage costs no query more than one command timeout. A probe (a real write, so a read-only or
 * full Redis does not count as back) runs every second while in fallback and switches back to
 * shared mode when it succeeds. Each switch logs once and moves the metric.
 */
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { logger } from '../../../sdk/logger';
import { errorMessage } from '../../../sdk/errorMessage';
import type { RedisConfig } from './redisConfig';
import { redisFallbacks, redisCoordinated } from '../metrics';

export type LinkMode = 'connecting' | 'connected' | 'fallback';

/** Returned instead of a value when Redis cannot be used for this operation. */
export const UNAVAILABLE = Symbol('redis unavailable');
export type Maybe<T> = T | typeof UNAVAILABLE;

export const PROBE_INTERVAL_MS = 1_000;
/** How long an operation issued before the first connection waits for it. */
export const FIRST_CONNECT_WAIT_MS = 2_000;

export class RedisLink {
  readonly client: Redis;
  private current: LinkMode = 'connecting';
  private probeTimer?: ReturnType<typeof setInterval>;
  private readonly firstContact: Promise<void>;
  private closed = false;

  constructor(readonly config: RedisConfig) {
    this.client = new Redis({
      host: config.host,
      port: config.port,
      username: config.username,
      password: config.password,
      db: config.db,
      ...(config.tls ? { tls: config.caFile ? { ca: readFileSync(config.caFile) } : {} } : {}),
      connectionName: 'cloudtrail-insights',
      // Fail at once while disconnected instead of queueing: the caller has a local fallback.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: config.commandTimeoutMs,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(200 * times, 2_000),
      // After a failover the old primary answers READONLY: reconnect to find the new one.
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    });
    this.firstContact = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FIRST_CONNECT_WAIT_MS);
      timer.unref?.();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', done);
      this.client.once('error', done);
    });
    this.client.on('ready', () => this.markUp());
    // Without a listener ioredis prints every connection error; one warning per switch is enough.
    this.client.on('error', (error) => this.markDown(error));
    this.client.on('close', () => this.markDown(new Error('connection closed')));
  }

  get mode(): LinkMode {
    return this.current;
  }

  /** Runs `op` against Redis, or returns UNAVAILABLE (never throws) when Redis cannot be used. */
  async attempt<T>(op: (client: Redis) => Promise<T>): Promise<Maybe<T>> {
    if (this.current === 'connecting') {
      await this.firstContact;
    }
    if (this.current !== 'connected' || this.closed) {
      return UNAVAILABLE;
    }
    try {
      return await op(this.client);
    } catch (error) {
      this.markDown(error);
      return UNAVAILABLE;
    }
  }

  /** PING with this link's timeout: true when Redis answers now. */
  async reachable(): Promise<boolean> {
    try {
      await this.client.ping();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probeTimer);
    this.client.disconnect();
  }

  private markUp(): void {
    if (this.current === 'connected' || this.closed) {
      return;
    }
    const wasFallback = this.current === 'fallback';
    this.current = 'connected';
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    redisCoordinated.set(1);
    if (wasFallback) {
      logger.info('Redis reachable again: quota, cache and fetch locks are shared across replicas', {
        redis: this.config.address,
      });
    } else {
      logger.info('Sharing quota, cache and fetch locks through Redis', { redis: this.config.address });
    }
  }

  private markDown(error: unknown): void {
    if (this.current === 'fallback' || this.closed) {
      return;
    }
    this.current = 'fallback';
    redisCoordinated.set(0);
    redisFallbacks.inc();
    logger.warn(
      `Redis unreachable: each quota is paced locally at 1/${this.config.fallbackReplicas} of its rate, without shared cache or fetch locks, until Redis answers again`,
      { redis: this.config.address, error: errorMessage(error) }
    );
    this.probeTimer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.probeTimer.unref?.();
  }

  private async probe(): Promise<void> {
    if (this.client.status !== 'ready') {
      return; // ioredis reconnects by itself; 'ready' will call markUp.
    }
    try {
      await this.client.set(`${this.config.prefix}probe`, String(Date.now()), 'PX', 10_000);
      this.markUp();
    } catch {
      // Still down; try again at the next tick.
    }
  }
}
