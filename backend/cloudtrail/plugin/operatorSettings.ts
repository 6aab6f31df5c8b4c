/**
 * The operator's settings of the backend, read in this one place. Grafana's own way to configure a
 * plugin is its grafana.ini section `[plugin.trailwatch-cloudtrailinsights-datasource]`, whose keys
 * reach the plugin process as `GF_PLUGIN_<KEY>` (e.g. `redis_url` → `GF_PLUGIN_REDIS_URL`), whatever
 * Grafana's `forward_host_env_vars` says about its own environment; the `CLOUDTRAIL_<KEY>`
 * variables are the same settings' second spelling (the grafana.ini one wins).
 * The result is keyed by the CLOUDTRAIL_ spelling, which the layers' parsers read.
 * `describeOperatorSettings` lists the values in force for the health check, secrets withheld.
 */
import { DEFAULT_MAX_POINTS } from '../series/seriesCache';
import { DEFAULT_GATHER_MS } from '../series/seriesSource';
import { DEFAULT_LOOKUP_MAX_PAGES } from '../insights/insightEvents';
import {
  DEFAULT_REFRESH_MAX_SERIES,
  DEFAULT_REFRESH_SHARE,
  DEFAULT_REFRESH_WINDOW_MS,
} from '../series/refresh/refresherConfig';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_FALLBACK_REPLICAS,
  DEFAULT_LOCK_MS,
  DEFAULT_PREFIX,
} from '../coordination/redis/redisConfig';
import { PLUGIN_ID } from '../aws/settings';
import { MAX_POINTS_PER_PAGE } from '../../../src/shared/retention';

/** At most this many queries of one QueryData request run (the browser's expansion cap). */
export const DEFAULT_MAX_QUERIES_PER_REQUEST = 100;

/** Every knob, by its key (the grafana.ini key upper-cased), with what applies when it is unset. */
const KNOBS = {
  QUOTAS: 'the documented CloudTrail quotas',
  CACHE_MAX_POINTS: String(DEFAULT_MAX_POINTS),
  PAGE_SIZE: String(MAX_POINTS_PER_PAGE),
  GATHER_MS: String(DEFAULT_GATHER_MS),
  LOOKUP_MAX_PAGES: String(DEFAULT_LOOKUP_MAX_PAGES),
  REFRESH_SHARE: String(DEFAULT_REFRESH_SHARE * 100),
  REFRESH_WINDOW_MS: String(DEFAULT_REFRESH_WINDOW_MS),
  REFRESH_MAX_SERIES: String(DEFAULT_REFRESH_MAX_SERIES),
  REDIS_URL: 'none (quota and cache in this process)',
  REDIS_PASSWORD: 'none',
  REDIS_CA_FILE: 'the system CAs',
  REDIS_CLUSTER: 'asked of the server',
  REDIS_SENTINELS: 'none (REDIS_URL names the server)',
  REDIS_SENTINEL_NAME: 'none',
  REDIS_SENTINEL_PASSWORD: 'none',
  REDIS_SHARED_SECRET: 'none (values bound to their own key, not signed)',
  REDIS_PREFIX: DEFAULT_PREFIX,
  REPLICAS: String(DEFAULT_FALLBACK_REPLICAS),
  REDIS_TIMEOUT_MS: String(DEFAULT_COMMAND_TIMEOUT_MS),
  REDIS_LOCK_MS: String(DEFAULT_LOCK_MS),
  ALLOWED_ENDPOINTS: "none (only CloudTrail's own endpoints for the server's credentials)",
  MAX_QUERIES_PER_REQUEST: String(DEFAULT_MAX_QUERIES_PER_REQUEST),
} as const;

export const OPERATOR_KEYS = Object.keys(KNOBS) as Array<keyof typeof KNOBS>;
export type OperatorKey = keyof typeof KNOBS;

/** The settings in force, as `CLOUDTRAIL_<KEY>` → value (unset keys absent). */
export type OperatorSettings = Readonly<Partial<Record<`CLOUDTRAIL_${OperatorKey}`, string>>>;

/** Where a setting's value came from. */
function sourceOf(env: NodeJS.ProcessEnv, key: OperatorKey): 'grafana.ini' | `CLOUDTRAIL_${OperatorKey}` | undefined {
  if (env[`GF_PLUGIN_${key}`] !== undefined) {
    return 'grafana.ini';
  }
  return env[`CLOUDTRAIL_${key}`] !== undefined ? `CLOUDTRAIL_${key}` : undefined;
}

export function readOperatorSettings(env: NodeJS.ProcessEnv): OperatorSettings {
  const settings: Partial<Record<`CLOUDTRAIL_${OperatorKey}`, string>> = {};
  for (const key of OPERATOR_KEYS) {
    const value = env[`GF_PLUGIN_${key}`] ?? env[`CLOUDTRAIL_${key}`];
    if (value !== undefined) {
      settings[`CLOUDTRAIL_${key}`] = value;
    }
  }
  return settings;
}

/** A positive number setting, or undefined (unset, not a number, or not above zero). */
export function positiveSetting(text: string | undefined): number | undefined {
  const n = Number(text);
  return text?.trim() && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** `max_queries_per_request`: a positive whole number, else the default. */
export function maxQueriesPerRequest(settings: OperatorSettings): number {
  const n = positiveSetting(settings.CLOUDTRAIL_MAX_QUERIES_PER_REQUEST);
  return n === undefined ? DEFAULT_MAX_QUERIES_PER_REQUEST : Math.max(1, Math.floor(n));
}

/** How a setting is named to operators: its grafana.ini key, and its variable. */
export function settingName(key: OperatorKey): string {
  return `${key.toLowerCase()} in [plugin.${PLUGIN_ID}] of grafana.ini (or CLOUDTRAIL_${key})`;
}

/** A value as the health check may show it: passwords withheld, URLs without their user info. */
function shown(key: OperatorKey, value: string): string {
  if (/PASSWORD|SECRET|TOKEN/.test(key)) {
    return '(set)';
  }
  if (key === 'REDIS_URL') {
    try {
      const url = new URL(value);
      const withheld = url.password ? '***' : '';
      url.password = '';
      url.username = '';
      return `${url.protocol}//${withheld ? `${withheld}@` : ''}${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    } catch {
      return '(set, not a URL)';
    }
  }
  return value;
}

export interface SettingInForce {
  value: string;
  /** `grafana.ini` (GF_PLUGIN_<KEY>), the CLOUDTRAIL_<KEY> variable, or `default`. */
  from: string;
}

/**
 * Every setting with the value in force and where it came from, keyed by its grafana.ini name;
 * secrets are shown as "(set)", never their value.
 */
export function describeOperatorSettings(env: NodeJS.ProcessEnv): Record<string, SettingInForce> {
  const described: Record<string, SettingInForce> = {};
  for (const key of OPERATOR_KEYS) {
    const from = sourceOf(env, key);
    const value = env[`GF_PLUGIN_${key}`] ?? env[`CLOUDTRAIL_${key}`];
    described[key.toLowerCase()] =
      from === undefined || value === undefined
        ? { value: KNOBS[key], from: 'default' }
        : { value: shown(key, value), from };
  }
  return described;
}
