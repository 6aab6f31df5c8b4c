/**
 * Grafana replicas in one test process: each is what backend/main.ts makes from its environment
 * (plugin/wiring.ts' process services: its own Redis connection, quota gate, caches, fallback
 * limiter) behind the data source instance Grafana would call (plugin/instance.ts), minus gRPC.
 * They talk to one simulator through the instance's own AWS clients, so the simulator counts real
 * calls at its real quotas. Metrics are the process's (one registry for all of them).
 */
import type { SeriesInfo } from '../../../simulator';
import type { CheckHealthResult, DataResponse, DataSourceInstance, PluginContext } from '../../sdk/types';
import { ALERT_SCHEDULER, makeCloudTrailInstanceFactory } from '../plugin/instance';
import { processServices, type ProcessServices } from '../plugin/wiring';

export interface SimulatorAccount {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface QueryOptions {
  refId?: string;
  /** An alert rule evaluation (Grafana's FromAlert header). */
  alert?: boolean;
  /** Milliseconds the query may take (Grafana's deadline), default 30 s. */
  timeoutMs?: number;
  /** The panel's time range ends now and spans this long (default 6 h at a 300 s interval). */
  spanMs?: number;
}

export interface InProcessReplica {
  readonly services: ProcessServices;
  query(series: SeriesInfo, options?: QueryOptions): Promise<DataResponse>;
  /** The Insights events table over the last 90 days (LookupEvents, through the Insights lists). */
  events(): Promise<DataResponse>;
  health(): Promise<CheckHealthResult>;
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;

export function metricsQueryJson(series: SeriesInfo) {
  return {
    eventSource: series.eventSource,
    eventName: series.eventName,
    insightType: series.insightType,
    ...(series.errorCode ? { errorCode: series.errorCode } : {}),
    period: 'auto',
    dataType: 'FillWithZeros',
  };
}

/** A replica with `env` as its process environment (CLOUDTRAIL_* / GF_PLUGIN_*), reading `account`. */
export async function startReplica(env: Record<string, string>, account: SimulatorAccount): Promise<InProcessReplica> {
  // No background refresh unless asked: its calls would blur the counts a test makes.
  const services = processServices({ CLOUDTRAIL_REFRESH_SHARE: '0', ...env });
  const settings = {
    id: 1,
    uid: 'replica-test',
    name: 'CloudTrail',
    url: '',
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: account.endpoint },
    decryptedSecureJsonData: { accessKey: account.accessKeyId, secretKey: account.secretAccessKey },
    lastUpdatedMS: 1,
  };
  const context: PluginContext = {
    orgId: 1,
    pluginId: 'trailwatch-cloudtrailinsights-datasource',
    // As Grafana sends it when [aws] forward_settings_to_plugins lists the plugin.
    grafanaConfig: { AWS_AUTH_AllowedAuthProviders: 'default,keys,credentials' },
    pluginVersion: 'test',
    userAgent: 'test',
    dataSourceInstanceSettings: settings,
  };
  const instance: DataSourceInstance = await makeCloudTrailInstanceFactory(services)(settings, context);
  return {
    services,
    async query(series, options = {}) {
      const refId = options.refId ?? 'A';
      const now = Date.now();
      const span = options.spanMs ?? 6 * HOUR_MS;
      const answers = await instance.queryData!(
        {
          // An alert evaluation comes from Grafana's scheduler: its header and its user.
          pluginContext: options.alert
            ? { ...context, user: { ...ALERT_SCHEDULER, name: 'grafana_scheduler', email: '' } }
            : context,
          headers: options.alert ? { FromAlert: 'true' } : {},
          queries: [
            {
              refId,
              queryType: '',
              maxDataPoints: 1_000,
              intervalMs: 300_000,
              timeRange: { fromMs: now - span, toMs: now, from: new Date(now - span), to: new Date(now) },
              json: metricsQueryJson(series),
            },
          ],
        },
        { signal: new AbortController().signal, deadlineMs: now + (options.timeoutMs ?? 30_000) }
      );
      return answers[refId];
    },
    async events() {
      const now = Date.now();
      const from = now - 90 * 24 * HOUR_MS;
      const answers = await instance.queryData!(
        {
          pluginContext: context,
          headers: {},
          queries: [
            {
              refId: 'E',
              queryType: 'events',
              maxDataPoints: 1_000,
              intervalMs: 60_000,
              timeRange: { fromMs: from, toMs: now, from: new Date(from), to: new Date(now) },
              json: { queryType: 'events' },
            },
          ],
        },
        { signal: new AbortController().signal, deadlineMs: now + 30_000 }
      );
      return answers.E;
    },
    health: () =>
      instance.checkHealth!(
        { pluginContext: context, headers: {} },
        { signal: new AbortController().signal, deadlineMs: Date.now() + 15_000 }
      ),
    async close() {
      await instance.dispose?.();
      await services.close();
    },
  };
}

/** The values of a metrics answer's first frame (its number field). */
export function valuesOf(answer: DataResponse): unknown[] {
  return answer.frames[0]?.fields[1]?.values ?? [];
}
