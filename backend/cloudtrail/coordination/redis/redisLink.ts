/**
 * The one Redis connection of this process (one server, a Redis Cluster or a Sentinel-watched
 * master: connection/redisClients.ts) and whether coordination is shared right now.
 *
 * Any failed or slow operation (connection lost, timeout, an error reply such as OOM, READONLY or
 * MOVED) switches to fallback mode: callers stop asking Redis and use their local share, so a Redis
 * outage costs no query more than one command timeout. A probe runs every second while in
 * fallback and switches back to shared mode when Redis is usable again: it checks what the
 * settings assume (a single server that turns out to be a Cluster node is not usable unless
 * REDIS_CLUSTER allows it; a Cluster must say `cluster_state:ok`) and makes a real write (a
 * read-only or full Redis does not count as back). Each switch logs once and moves the metric;
 * the last problem, worded by connection/diagnosis.ts with the setting that fixes it, is kept
 * for the health check.
 *
 * With REDIS_CLUSTER unset, the first connection asks the server (`INFO cluster`) and, on a
 * Cluster node, moves to a Cluster client started from that node.
 */
import { logger } from '../../../sdk/logger';
import { errorMessage } from '../../../sdk/errorMessage';
import type { Cluster, Redis } from 'ioredis';
import type { RedisConfig } from './redisConfig';
import { redisFallbacks, redisCoordinated, redisOperations } from '../metrics';
import { clusterClient, sentinelClient, singleClient, type RedisClient } from './connection/redisClients';
import { diagnose, scrub, uninformative } from './connection/diagnosis';
import { EntrySeal } from './integrity/entrySeal';

export type { RedisClient } from './connection/redisClients';

export type LinkMode = 'connecting' | 'connected' | 'fallback';
/** What the client is talking to now (a single server may turn out to be a Cluster node). */
export type LinkShape = 'single' | 'cluster' | 'sentinel';

/** Returned instead of a value when Redis cannot be used for this operation. */
export const UNAVAILABLE = Symbol('redis unavailable');
export type Maybe<T> = T | typeof UNAVAILABLE;

export const PROBE_INTERVAL_MS = 1_000;
/** How long an operation issued before the first connection waits for it. */
export const FIRST_CONNECT_WAIT_MS = 2_000;

interface Script {
  numberOfKeys: number;
  lua: string;
}

class RedisProblem extends Error {}

/** A timer firing this much later than due means this process was busy, not Redis slow. */
const STALL_MS = 50;
/** An operation's timeout may grow by the time this process stalled, up to this many times. */
const STALL_ALLOWANCE = 4;
/** Connecting to every master and loading the scripts may take this many command timeouts. */
const PREPARE_TIMEOUT_FACTOR = 4;

export class RedisLink {
  private current: LinkMode = 'connecting';
  private currentShape: LinkShape;
  private active!: RedisClient;
  private probeTimer?: ReturnType<typeof setInterval>;
  private readonly firstContact: Promise<void>;
  private contact!: () => void;
  private closed = false;
  private readonly scripts = new Map<string, Script>();
  private lastProblem?: string;
  private lastSentinelError?: unknown;
  private verifying?: Promise<boolean>;
  private readonly upListeners = new Set<() => void>();
  /** The MAC every replicated value carries (keyed by REDIS_SHARED_SECRET when set). */
  readonly seal: EntrySeal;

  constructor(readonly config: RedisConfig) {
    this.seal = new EntrySeal(config.replicationSecret);
    this.firstContact = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FIRST_CONNECT_WAIT_MS);
      timer.unref?.();
      this.contact = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const { topology } = config;
    this.currentShape = topology.kind;
    this.use(
      topology.kind === 'cluster'
        ? clusterClient(config, topology.node)
        : topology.kind === 'sentinel'
          ? sentinelClient(config)
          : singleClient(config, topology.node)
    );
  }

  /** The client of the moment (a Cluster client replaces a single one when the server is a Cluster node). */
  get client(): RedisClient {
    return this.active;
  }

  get mode(): LinkMode {
    return this.current;
  }

  get shape(): LinkShape {
    return this.currentShape;
  }

  /** Why Redis was last found unusable (names the setting to change), if it was. */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  /** A Lua script as a command of every client this link makes (ioredis loads it, EVALSHA first). */
  defineScript(name: string, script: Script): void {
    this.scripts.set(name, script);
    this.active.defineCommand(name, script);
  }

  /** Runs `op` against Redis, or returns UNAVAILABLE (never throws) when Redis cannot be used. */
  async attempt<T>(op: (client: RedisClient) => Promise<T>): Promise<Maybe<T>> {
    if (this.current === 'connecting') {
      await this.firstContact;
    }
    if (this.current !== 'connected' || this.closed) {
      return UNAVAILABLE;
    }
    redisOperations.inc();
    try {
      return await this.bounded(op(this.active));
    } catch (error) {
      this.markDown(error);
      return UNAVAILABLE;
    }
  }

  /** Calls `listener` once, when Redis is next found usable again; returns a function that forgets it. */
  onceUsable(listener: () => void): () => void {
    const once = () => {
      this.upListeners.delete(once);
      listener();
    };
    this.upListeners.add(once);
    return () => this.upListeners.delete(once);
  }

  /** Checks now that Redis is usable as configured (the probe's check); true when it is. */
  async usable(): Promise<boolean> {
    if (this.current === 'connecting') {
      await this.firstContact;
    }
    return this.check();
  }

  /** The probe's check; `write` adds a real write (after a failure: a full or read-only Redis is not back). */
  private check(write = this.current === 'fallback'): Promise<boolean> {
    if (this.closed || this.active.status !== 'ready') {
      return Promise.resolve(false);
    }
    this.verifying ??= this.verify(write).finally(() => (this.verifying = undefined));
    return this.verifying;
  }

  /** Where Redis is, as the health check says it: never credentials. */
  where(): string {
    switch (this.currentShape) {
      case 'cluster':
        return `Redis Cluster at ${this.config.address} (${this.masters()} masters)`;
      case 'sentinel':
        return `Redis ${this.config.address}`;
      default:
        return `Redis at ${this.config.address}`;
    }
  }

  /** Masters of the Cluster as the client knows them (0 when not a Cluster). */
  masters(): number {
    return this.currentShape === 'cluster' ? (this.active as Cluster).nodes('master').length : 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probeTimer);
    this.contact();
    this.active.disconnect();
  }

  private use(client: RedisClient): void {
    this.active = client;
    for (const [name, script] of this.scripts) {
      client.defineCommand(name, script);
    }
    const mine = () => this.active === client && !this.closed;
    client.on('ready', () => mine() && void this.check());
    // Without a listener ioredis prints every connection error; one warning per switch is enough.
    client.on('error', (error: unknown) => {
      if (mine()) {
        this.markDown(this.sentinelCause(error));
      }
    });
    client.on('sentinelError', (error: unknown) => (this.lastSentinelError = error));
    client.on('node error', (error: unknown) => mine() && this.noteProblem(error));
    client.on('close', () => mine() && this.markDown(new Error('connection closed')));
  }

  /** "All sentinels are unreachable" says why only when a Sentinel answered wrongly: take that answer. */
  private sentinelCause(error: unknown): unknown {
    const text = errorMessage(error);
    if (text.startsWith('All sentinels are unreachable') && !text.includes('Last error') && this.lastSentinelError) {
      return this.lastSentinelError;
    }
    return error;
  }

  /**
   * `work`, or a timeout error after the command timeout, counted in time this process could have
   * read the answer: when its event loop was busy (a burst of queries, a cold start) the stalled
   * time is given back (up to STALL_ALLOWANCE × the timeout in all), and a timeout that fires lets
   * the I/O of its loop turn run first, so an answer that arrived in time is not taken for an
   * outage (which would pace every quota at 1/N for a while). ioredis' own command timeout is off
   * for that reason (redisClients.ts).
   */
  private bounded<T>(work: Promise<T>, ms = this.config.commandTimeoutMs): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let check: ReturnType<typeof setImmediate> | undefined;
    const started = performance.now();
    const late = new Promise<never>((_, reject) => {
      const arm = (delay: number) => {
        const due = performance.now() + delay;
        timer = setTimeout(() => {
          const now = performance.now();
          const stalled = now - due;
          if (stalled > STALL_MS && now - started + stalled <= STALL_ALLOWANCE * ms) {
            arm(stalled);
            return;
          }
          check = setImmediate(() => reject(new Error(`Redis did not answer within ${ms} ms`)));
        }, delay);
      };
      arm(ms);
    });
    work.catch(() => undefined);
    return Promise.race([work, late]).finally(() => {
      clearTimeout(timer);
      clearImmediate(check);
    });
  }

  /** What the settings assume (and a write, if asked); marks the link up, or down with the problem. */
  private async verify(write: boolean): Promise<boolean> {
    const client = this.active;
    redisOperations.inc(write ? 2 : 1);
    try {
      if (this.config.topology.kind === 'single' && this.currentShape === 'single') {
        const info = await this.bounded(client.info('cluster'));
        if (/cluster_enabled:1/.test(info)) {
          if (this.config.topology.cluster === 'no') {
            throw new RedisProblem('MOVED: a Cluster node');
          }
          this.becomeCluster();
          return false;
        }
      }
      if (this.currentShape === 'cluster') {
        const info = String(await this.bounded(client.cluster('INFO')));
        if (!/cluster_state:ok/.test(info)) {
          throw new RedisProblem('CLUSTERDOWN the Redis Cluster reports cluster_state:fail');
        }
      }
      await this.bounded(this.prepare(client), PREPARE_TIMEOUT_FACTOR * this.config.commandTimeoutMs);
      if (write) {
        await this.bounded(client.set(`${this.config.prefix}probe`, String(Date.now()), 'PX', 10_000));
      }
    } catch (error) {
      if (client === this.active) {
        this.markDown(error);
      }
      return false;
    }
    if (client !== this.active) {
      return false;
    }
    this.markUp();
    return true;
  }

  /**
   * Before operations count on the time they take: connects to every master (ioredis opens a
   * Cluster's node connections on their first command, which would then wait for the connection,
   * its AUTH and ready check) and loads the scripts there (their first EVALSHA would otherwise
   * cost a NOSCRIPT round trip and an EVAL).
   */
  private async prepare(client: RedisClient): Promise<void> {
    const nodes = this.currentShape === 'cluster' ? (client as Cluster).nodes('master') : [client as Redis];
    const scripts = [...this.scripts.values()];
    redisOperations.inc(nodes.length * scripts.length);
    await Promise.all(nodes.flatMap((node) => scripts.map((script) => node.script('LOAD', script.lua))));
  }

  /** REDIS_CLUSTER unset and the server is a Cluster node: continue with a Cluster client from it. */
  private becomeCluster(): void {
    const old = this.active;
    const { topology } = this.config;
    if (topology.kind !== 'single') {
      return;
    }
    this.currentShape = 'cluster';
    this.use(clusterClient(this.config, topology.node));
    old.removeAllListeners();
    old.on('error', () => undefined);
    old.disconnect();
    logger.info('Redis is a Redis Cluster node: continuing in Cluster mode', { redis: this.config.address });
  }

  private noteProblem(error: unknown): void {
    if (uninformative(error) && this.lastProblem) {
      return;
    }
    const cause = (error as { lastNodeError?: unknown })?.lastNodeError ?? error;
    this.lastProblem = uninformative(cause)
      ? `Redis at ${this.config.address} closed the connection`
      : (this.sentinelMaster(cause) ?? diagnose(cause, this.config));
  }

  /** With Sentinel, a node that does not answer is the master it named: a failover may be under way. */
  private sentinelMaster(error: unknown): string | undefined {
    const code = (error as { code?: unknown })?.code;
    const { topology } = this.config;
    if (
      topology.kind === 'sentinel' &&
      typeof code === 'string' &&
      ['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET'].includes(code)
    ) {
      return `the master the Sentinels named for "${topology.name}" does not answer (${code}); a failover may be under way`;
    }
    return undefined;
  }

  private markUp(): void {
    if (this.closed) {
      return;
    }
    this.contact();
    if (this.current === 'connected') {
      return;
    }
    const wasFallback = this.current === 'fallback';
    this.current = 'connected';
    this.lastProblem = undefined;
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    redisCoordinated.set(1);
    for (const listener of [...this.upListeners]) {
      listener();
    }
    if (wasFallback) {
      logger.info('Redis reachable again: quota, cache and fetch locks are shared across replicas', {
        redis: this.config.address,
      });
    } else {
      logger.info('Sharing quota, cache and fetch locks through Redis', { redis: this.config.address });
    }
  }

  private markDown(error: unknown): void {
    if (this.closed) {
      return;
    }
    this.noteProblem(error);
    this.contact();
    if (this.current === 'fallback') {
      return;
    }
    this.current = 'fallback';
    redisCoordinated.set(0);
    redisFallbacks.inc();
    logger.warn(
      `Redis unreachable: each quota is paced locally at 1/${this.config.fallbackReplicas} of its rate, without shared cache or fetch locks, until Redis answers again`,
      { redis: this.config.address, problem: this.lastProblem, error: scrub(errorMessage(error), this.config) }
    );
    this.probeTimer = setInterval(() => void this.check(), PROBE_INTERVAL_MS);
    this.probeTimer.unref?.();
  }
}
