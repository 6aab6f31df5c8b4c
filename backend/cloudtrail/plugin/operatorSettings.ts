/**
 * The operator's settings of the backend, read in this one place. Grafana's own way to configure a
 * plugin is its grafana.ini section `[plugin.trailwatch-cloudtrailinsights-datasource]`, whose keys
 * reach the plugin process as `GF_PLUGIN_<KEY>` (e.g. `redis_url` → `GF_PLUGIN_REDIS_URL`); the
 * `CLOUDTRAIL_<KEY>` variables are the same settings' second spelling (the grafana.ini one wins).
 * The result is keyed by the CLOUDTRAIL_ spelling, which the layers' parsers read.
 */

/** Every knob, by its key (the grafana.ini key upper-cased). */
export const OPERATOR_KEYS = [
  'QUOTAS',
  'CACHE_MAX_POINTS',
  'PAGE_SIZE',
  'GATHER_MS',
  'LOOKUP_MAX_PAGES',
  'REFRESH_SHARE',
  'REFRESH_WINDOW_MS',
  'REFRESH_MAX_SERIES',
  'REDIS_URL',
  'REDIS_PASSWORD',
  'REDIS_CA_FILE',
  'REDIS_CLUSTER',
  'REDIS_SENTINELS',
  'REDIS_SENTINEL_NAME',
  'REDIS_SENTINEL_PASSWORD',
  'REDIS_SHARED_SECRET',
  'REDIS_PREFIX',
  'REPLICAS',
  'REDIS_TIMEOUT_MS',
  'REDIS_LOCK_MS',
] as const;
export type OperatorKey = (typeof OPERATOR_KEYS)[number];

/** The settings in force, as `CLOUDTRAIL_<KEY>` → value (unset keys absent). */
export type OperatorSettings = Readonly<Partial<Record<`CLOUDTRAIL_${OperatorKey}`, string>>>;

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
