/**
 * The data source's settings (the keys every Grafana AWS data source uses) and Grafana's AWS auth
 * policy. The policy is read from the request's grafanaConfig first and the process env second,
 * because older Grafana versions passed it only as env vars.
 */
import type { DataSourceInstanceSettings } from '../../sdk/types';
import { REGION_PATTERN } from '../../../src/shared/validation';

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
  /** Grafana's own external id, used when the settings carry none. */
  grafanaExternalId?: string;
}

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
      error: `Endpoint "${endpoint}" is not an http(s) URL such as https://cloudtrail.us-east-1.amazonaws.com.`,
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

/** Grafana's AWS auth policy: grafanaConfig of the request first, then env, then Grafana's defaults. */
export function authPolicy(grafanaConfig: Readonly<Record<string, string>> = {}, env: NodeJS.ProcessEnv): AuthPolicy {
  const read = (key: string) => text(grafanaConfig[key]) ?? text(env[key]);
  const providers = (read('AWS_AUTH_AllowedAuthProviders') ?? 'default,keys,credentials')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const assume = read('AWS_AUTH_AssumeRoleEnabled');
  return {
    allowedAuthProviders: providers,
    assumeRoleEnabled: assume === undefined ? true : assume.toLowerCase() === 'true',
    grafanaExternalId: read('AWS_AUTH_EXTERNAL_ID'),
  };
}

/** A message saying what the Grafana admin must allow, or undefined when the settings are allowed. */
export function authNotAllowed(settings: CloudTrailSettings, policy: AuthPolicy): string | undefined {
  if (!(policy.allowedAuthProviders as string[]).includes(settings.authType)) {
    return `Authentication provider "${settings.authType}" is not allowed by this Grafana server (allowed: ${policy.allowedAuthProviders.join(', ') || 'none'}); ask an admin to add it to [aws] allowed_auth_providers or pick another one.`;
  }
  if (settings.assumeRoleArn && !policy.assumeRoleEnabled) {
    return 'Assuming a role is disabled on this Grafana server ([aws] assume_role_enabled = false); clear "Assume Role ARN" or ask an admin to enable it.';
  }
  return undefined;
}
