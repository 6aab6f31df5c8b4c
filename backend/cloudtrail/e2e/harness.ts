/**
 * End-to-end harness: launches the BUILT plugin executable the way Grafana does and talks to it
 * over real gRPC (the protocol layer's test client), with a simulator as the AWS endpoint.
 * Frames come back as Arrow IPC files and are decoded here with apache-arrow.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { launchPlugin, pluginv2, type LaunchedPlugin } from '../../sdk/testing/pluginClient';

export const EXECUTABLE = join(__dirname, '..', '..', '..', 'dist', 'gpx_cloudtrail_insights_linux_amd64');

export function requireExecutable(): string {
  if (!existsSync(EXECUTABLE)) {
    throw new Error(
      `The plugin executable ${EXECUTABLE} is missing: run \`npm run build:backend\` before the e2e tests.`
    );
  }
  return EXECUTABLE;
}

export interface DecodedField {
  name: string;
  /** The Arrow type, e.g. Utf8, Float64, Timestamp<NANOSECOND>. */
  type: string;
  nullable: boolean;
  values: unknown[];
  labels?: Record<string, string>;
  config?: Record<string, any>;
}

export interface DecodedFrame {
  name?: string;
  refId?: string;
  meta?: Record<string, any>;
  fields: DecodedField[];
}

export interface DecodedResponse {
  frames: DecodedFrame[];
  error: string;
  status: number;
  errorSource: string;
}

export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  const table = tableFromIPC(bytes);
  const meta = table.schema.metadata;
  return {
    name: meta.get('name'),
    refId: meta.get('refId'),
    meta: meta.get('meta') ? JSON.parse(meta.get('meta')!) : undefined,
    fields: table.schema.fields.map((field, i) => {
      // get(row) rather than toArray(): nulls must stay null (toArray fills them with zeros).
      const column = table.getChildAt(i)!;
      const labels = field.metadata.get('labels');
      const config = field.metadata.get('config');
      return {
        name: field.name,
        type: String(field.type),
        nullable: field.nullable,
        // Time columns arrive as nanoseconds (BigInt); tests compare epoch ms.
        values: Array.from({ length: column.length }, (_, row) => {
          const v = column.get(row);
          return typeof v === 'bigint' ? Number(v / 1_000_000n) : v;
        }),
        ...(labels ? { labels: JSON.parse(labels) } : {}),
        ...(config ? { config: JSON.parse(config) } : {}),
      };
    }),
  };
}

export interface DataSourceConfig {
  jsonData: Record<string, unknown>;
  secure?: Record<string, string>;
  grafanaConfig?: Record<string, string>;
  uid?: string;
  lastUpdatedMS?: number;
  /** Grafana org of the data source (default 1); a uid is unique per org only. */
  orgId?: number;
}

/** Grafana rebuilds an instance when its settings change; a uid per settings does the same here. */
function settingsUid(ds: DataSourceConfig): string {
  return createHash('sha1')
    .update(JSON.stringify([ds.jsonData, ds.secure ?? {}]))
    .digest('hex')
    .slice(0, 16);
}

/** A Grafana user as the plugin request names it. */
export interface GrafanaUser {
  login: string;
  name?: string;
  email?: string;
  role: string;
}

/** The user Grafana's alert scheduler evaluates rules as (ngalert's SchedulerUserFor). */
export const ALERT_SCHEDULER_USER: GrafanaUser = { login: 'grafana_scheduler', role: 'Admin' };

export function pluginContext(ds: DataSourceConfig, user?: GrafanaUser) {
  return {
    orgId: BigInt(ds.orgId ?? 1),
    ...(user ? { user: { name: '', email: '', ...user } } : {}),
    pluginId: 'trailwatch-cloudtrailinsights-datasource',
    grafanaConfig: ds.grafanaConfig ?? {},
    pluginVersion: '1.0.0',
    userAgent: 'e2e',
    dataSourceInstanceSettings: {
      id: 1n,
      uid: ds.uid ?? settingsUid(ds),
      name: 'CloudTrail e2e',
      jsonData: new TextEncoder().encode(JSON.stringify(ds.jsonData)),
      decryptedSecureJsonData: ds.secure ?? {},
      lastUpdatedMS: BigInt(ds.lastUpdatedMS ?? 1),
    },
  };
}

export interface QuerySpec {
  refId: string;
  json: Record<string, unknown>;
  fromMs: number;
  toMs: number;
  queryType?: string;
  intervalMs?: number;
  maxDataPoints?: number;
}

export class PluginUnderTest {
  private constructor(readonly plugin: LaunchedPlugin) {}

  static async launch(env: Record<string, string> = {}): Promise<PluginUnderTest> {
    return new PluginUnderTest(await launchPlugin([requireExecutable()], { GF_PLUGIN_LOG_LEVEL: 'warn', ...env }));
  }

  /**
   * QueryData as Grafana sends it. `user` is the signed-in user; by default none, except that a
   * request with the `FromAlert: true` header comes from Grafana's alert scheduler, as its own
   * evaluations do (a browser's request forwarding that header names its own user).
   */
  async query(
    ds: DataSourceConfig,
    queries: QuerySpec[],
    options: { headers?: Record<string, string>; deadlineMs?: number; signal?: AbortSignal; user?: GrafanaUser } = {}
  ): Promise<Record<string, DecodedResponse>> {
    const fromAlert = options.headers?.FromAlert === 'true';
    const response: any = await this.plugin.call(
      pluginv2.Data,
      'queryData',
      {
        pluginContext: pluginContext(ds, options.user ?? (fromAlert ? ALERT_SCHEDULER_USER : undefined)),
        headers: options.headers ?? {},
        queries: queries.map((q) => ({
          refId: q.refId,
          queryType: q.queryType ?? '',
          maxDataPoints: BigInt(q.maxDataPoints ?? 1000),
          intervalMS: BigInt(q.intervalMs ?? 60_000),
          timeRange: { fromEpochMS: BigInt(q.fromMs), toEpochMS: BigInt(q.toMs) },
          json: new TextEncoder().encode(JSON.stringify(q.json)),
        })),
      },
      { deadlineMs: options.deadlineMs ?? 60_000, signal: options.signal }
    );
    const out: Record<string, DecodedResponse> = {};
    for (const [refId, r] of Object.entries<any>(response.responses)) {
      out[refId] = { frames: r.frames.map(decodeFrame), error: r.error, status: r.status, errorSource: r.errorSource };
    }
    return out;
  }

  async health(ds: DataSourceConfig, deadlineMs = 30_000): Promise<{ status: number; message: string; details: any }> {
    const r: any = await this.plugin.call(
      pluginv2.Diagnostics,
      'checkHealth',
      { pluginContext: pluginContext(ds), headers: {} },
      { deadlineMs }
    );
    return {
      status: r.status,
      message: r.message,
      details: r.jsonDetails?.length ? JSON.parse(new TextDecoder().decode(r.jsonDetails)) : undefined,
    };
  }

  async resource(ds: DataSourceConfig, pathAndQuery: string, method = 'GET'): Promise<{ status: number; body: any }> {
    const [path] = pathAndQuery.split('?');
    const messages: any[] = await this.plugin.stream(pluginv2.Resource, 'callResource', {
      pluginContext: pluginContext(ds),
      path,
      method,
      url: pathAndQuery,
      headers: {},
      body: new Uint8Array(),
    });
    const text = messages.map((m) => new TextDecoder().decode(m.body)).join('');
    return { status: messages[0]?.code, body: JSON.parse(text) };
  }

  async metricsText(): Promise<string> {
    const r: any = await this.plugin.call(pluginv2.Diagnostics, 'collectMetrics', {
      pluginContext: pluginContext({ jsonData: {} }),
    });
    return new TextDecoder().decode(r.metrics?.prometheus ?? new Uint8Array());
  }

  /** True while the process runs and answers gRPC. */
  async alive(): Promise<boolean> {
    if (this.plugin.child.exitCode !== null) {
      return false;
    }
    await this.metricsText();
    return true;
  }

  async stop(): Promise<void> {
    this.plugin.close();
    this.plugin.child.kill('SIGTERM');
    await this.plugin.exited;
  }
}

/** A metrics query's JSON for a simulator series. */
/** The Insights events table over the whole 90-day lookup window, ending at `nowMs`. */
export function eventsTableQuery(nowMs: number) {
  return { refId: 'E', queryType: 'events', json: { queryType: 'events' }, fromMs: nowMs - 90 * DAY_MS, toMs: nowMs };
}

export function seriesQuery(
  series: { eventSource: string; eventName: string; insightType: string; errorCode?: string },
  extra: Record<string, unknown> = {}
) {
  return {
    eventSource: series.eventSource,
    eventName: series.eventName,
    insightType: series.insightType,
    ...(series.errorCode ? { errorCode: series.errorCode } : {}),
    period: 'auto',
    dataType: 'FillWithZeros',
    ...extra,
  };
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
