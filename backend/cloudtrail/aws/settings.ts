/**
 * The data source's settings (the keys every Grafana AWS data source uses) and Grafana's AWS auth
 * policy (`[aws]` of grafana.ini). The policy is read from the request's grafanaConfig first and
 * the process env second, because older Grafana versions passed it only as env vars; Grafana sends
 * it only to the plugins listed in `[aws] forward_settings_to_plugins`, so `forwarded` says whether
 * it arrived at all (grafana-aws-sdk's `ReadAuthSettingsFromContext` makes the same distinction).
 */
import type { DataSourceInstanceSettings } from '../../sdk/types';
import { REGION_PATTERN } from '../../../src/shared/validation';
import { endpointLabel, endpointRefusal, type EndpointPolicy } from './endpointPolicy';

export const AUTH_TYPES = ['default', 'keys', 'credentials', 'ec2_iam_role'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const FALLBACK_REGION = 'us-east-1';

export interface CloudTrailSettings {
  authType: AuthType;
  profile?: string;
  defaultRegion: string;
  assumeRoleArn?: string;
  externalId?: string;
  /** Custom endpoint (e.g. the simulator or a VPC endpoint); also used for STS when set. */
  endpoint?: string;
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
}

export interface AuthPolicy {
  allowedAuthProviders: AuthType[] | string[];
  assumeRoleEnabled: boolean;
  /**
   * `[aws] session_duration`: DurationSeconds of the data source's sts:AssumeRole (Grafana's
   * default 15 min, as grafana-aws-sdk's stscreds default). Grafana's `[aws] external_id` is not
   * part of the policy: grafana-aws-sdk sends it only for Grafana Assume Role (Grafana Cloud's
   * `grafana_assume_role` auth type), never for a data source's own role.
   */
  sessionDurationSeconds: number;
  /** Whether any `AWS_AUTH_*` key arrived (grafanaConfig or env): false means Grafana's defaults apply. */
  forwarded: boolean;
}

/** The plugin id Grafana must list in `[aws] forward_settings_to_plugins`. */
export const PLUGIN_ID = 'trailwatch-cloudtrailinsights-datasource';

/** What to tell an admin when no `[aws]` setting reached the plugin. */
export const NOT_FORWARDED = `Grafana forwards no [aws] settings to this plugin, so Grafana's defaults apply here (allowed_auth_providers = default,keys,credentials; assume_role_enabled = true; session_duration = 15m), not this server's [aws] section: add ${PLUGIN_ID} to [aws] forward_settings_to_plugins in grafana.ini (GF_AWS_FORWARD_SETTINGS_TO_PLUGINS), keeping the plugins already listed.`;

/** Grafana's `[aws] session_duration` default, and stscreds' default duration. */
export const DEFAULT_SESSION_SECONDS = 15 * 60;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** Grafana's old name for the `credentials` auth type. */
const AUTH_TYPE_ALIASES: Record<string, AuthType> = { sharedCreds: 'credentials', arn: 'default' };

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Parses jsonData and secrets. Unknown auth types are kept as errors for the caller to report. */
export function parseSettings(
  instance: Pick<DataSourceInstanceSettings, 'jsonData' | 'decryptedSecureJsonData'>
): { ok: true; settings: CloudTrailSettings } | { ok: false; error: string } {
  const json = (instance.jsonData ?? {}) as Record<string, unknown>;
  const secure = instance.decryptedSecureJsonData ?? {};
  const rawAuth = text(json.authType) ?? 'default';
  const authType = (AUTH_TYPE_ALIASES[rawAuth] ?? rawAuth) as AuthType;
  if (!(AUTH_TYPES as readonly string[]).includes(authType)) {
    return { ok: false, error: `Unknown authentication provider "${rawAuth}"; use one of ${AUTH_TYPES.join(', ')}.` };
  }
  const defaultRegion = text(json.defaultRegion) ?? FALLBACK_REGION;
  if (!REGION_PATTERN.test(defaultRegion)) {
    return { ok: false, error: `Default region "${defaultRegion}" is not an AWS region name such as us-east-1.` };
  }
  const endpoint = text(json.endpoint);
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    return {
      ok: false,
      error: `Endpoint "${endpointLabel(endpoint)}" is not an http(s) URL such as https://cloudtrail.us-east-1.amazonaws.com.`,
    };
  }
  const settings: CloudTrailSettings = {
    authType,
    profile: text(json.profile),
    defaultRegion,
    assumeRoleArn: text(json.assumeRoleArn),
    externalId: text(json.externalId),
    endpoint,
    accessKey: text(secure.accessKey),
    secretKey: text(secure.secretKey),
    sessionToken: text(secure.sessionToken),
  };
  if (authType === 'keys' && (!settings.accessKey || !settings.secretKey)) {
    return {
      ok: false,
      error: 'Authentication "Access & secret key" needs both an access key ID and a secret access key.',
    };
  }
  return { ok: true, settings };
}

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DAY_MS = 86_400_000;
const DATE_UNITS_MS: Record<string, number> = { d: DAY_MS, w: 7 * DAY_MS, M: 30 * DAY_MS, y: 365 * DAY_MS };

/**
 * Grafana's duration syntax (grafana-plugin-sdk-go gtime.ParseDuration, which grafana-aws-sdk uses
 * for `session_duration`): Go's `1h30m`, `90s`, `1.5h`, or a whole number of days, weeks, months or
 * years (`1d`). Milliseconds, or undefined when `text` is not a duration.
 */
export function parseGrafanaDuration(text: string): number | undefined {
  const date = /^(\d+)([dwMy])$/.exec(text);
  if (date) {
    return Number(date[1]) * DATE_UNITS_MS[date[2]];
  }
  const parts = text.match(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g);
  if (!parts || parts.join('') !== text) {
    return text === '0' ? 0 : undefined;
  }
  return parts.reduce((total, part) => {
    const [, value, unit] = /^([\d.]+)(\D+)$/.exec(part)!;
    return total + Number(value) * DURATION_UNITS_MS[unit];
  }, 0);
}

/** Grafana's AWS auth policy: grafanaConfig of the request first, then env, then Grafana's defaults. */
export function authPolicy(grafanaConfig: Readonly<Record<string, string>> = {}, env: NodeJS.ProcessEnv): AuthPolicy {
  const read = (key: string) => text(grafanaConfig[key]) ?? text(env[key]);
  const forwarded = [grafanaConfig, env].some((source) =>
    Object.entries(source).some(([key, value]) => key.startsWith('AWS_AUTH_') && text(value) !== undefined)
  );
  const providers = (read('AWS_AUTH_AllowedAuthProviders') ?? 'default,keys,credentials')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const assume = read('AWS_AUTH_AssumeRoleEnabled');
  const duration = read('AWS_AUTH_SESSION_DURATION');
  const durationMs = duration === undefined ? undefined : parseGrafanaDuration(duration);
  return {
    allowedAuthProviders: providers,
    assumeRoleEnabled: assume === undefined ? true : assume.toLowerCase() === 'true',
    // Like grafana-aws-sdk, a value that does not parse leaves the default (and AWS refuses what is
    // outside 900 s to 12 h with its own message).
    sessionDurationSeconds:
      durationMs === undefined || durationMs <= 0 ? DEFAULT_SESSION_SECONDS : Math.floor(durationMs / 1000),
    forwarded,
  };
}

/**
 * A message saying what the Grafana admin must allow, or undefined when the settings are allowed:
 * the auth provider (`[aws] allowed_auth_providers`), assume role (`[aws] assume_role_enabled`) and
 * the endpoint (`allowed_endpoints` of the plugin's section; link-local never). When the policy is
 * Grafana's default because none was forwarded, the message says so and how to forward it.
 */
export function authNotAllowed(
  settings: CloudTrailSettings,
  policy: AuthPolicy,
  endpoints?: EndpointPolicy
): string | undefined {
  const unforwarded = policy.forwarded ? '' : ` (${NOT_FORWARDED})`;
  if (!(policy.allowedAuthProviders as string[]).includes(settings.authType)) {
    return `Authentication provider "${settings.authType}" is not allowed by this Grafana server (allowed: ${policy.allowedAuthProviders.join(', ') || 'none'}); ask an admin to add it to [aws] allowed_auth_providers or pick another one.${unforwarded}`;
  }
  if (settings.assumeRoleArn && !policy.assumeRoleEnabled) {
    return 'Assuming a role is disabled on this Grafana server ([aws] assume_role_enabled = false); clear "Assume Role ARN" or ask an admin to enable it.';
  }
  return endpoints ? endpointRefusal(settings, endpoints) : undefined;
}
