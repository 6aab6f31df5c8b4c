/**
 * Where a data source may send requests signed with its credentials.
 *
 * A data source whose credentials are the Grafana server's own — the default chain, `ec2_iam_role`,
 * a profile of the server's credentials file, and an assumed role on top of any of these — may
 * name a custom endpoint only when it is CloudTrail's own (https, a `cloudtrail` or
 * `cloudtrail-fips` host under amazonaws.com, amazonaws.com.cn or api.aws: regional, FIPS,
 * dual-stack and VPC endpoint names) or an origin the operator listed in `allowed_endpoints`.
 * Otherwise any org's data source admin could point Grafana's identity at a host of their choice
 * and receive its signed requests and session token (and read internal services through our
 * error messages). Link-local addresses (instance metadata, the ECS/EKS credential endpoints) are
 * refused for every auth type. Data sources signing with their own access keys keep any other
 * endpoint (the simulator, a test double, a corporate gateway).
 *
 * Only CloudTrail's own host names count as AWS here: other hosts under amazonaws.com serve
 * anyone's content (API Gateway `execute-api`, S3 website and bucket names, load balancers).
 */
import { isIP } from 'node:net';

/** The operator's list, as `[plugin.<id>] allowed_endpoints` (or CLOUDTRAIL_ALLOWED_ENDPOINTS) gives it. */
export interface EndpointPolicy {
  /** Origins (`scheme://host[:port]`, normalized) a server-credentials data source may use. */
  readonly allowedOrigins: readonly string[];
}

export const NO_ALLOWED_ENDPOINTS: EndpointPolicy = { allowedOrigins: [] };

/** Where the operator allows more endpoints, for messages. */
export const ALLOWED_ENDPOINTS_SETTING =
  'allowed_endpoints in [plugin.trailwatch-cloudtrailinsights-datasource] of grafana.ini (or CLOUDTRAIL_ALLOWED_ENDPOINTS)';

const AWS_DOMAINS = ['amazonaws.com', 'amazonaws.com.cn', 'api.aws'];
const CLOUDTRAIL_LABELS = new Set(['cloudtrail', 'cloudtrail-fips']);

/** The auth types whose credentials are the Grafana server's, not the data source's own secrets. */
export function usesServerCredentials(authType: string): boolean {
  return authType !== 'keys';
}

/**
 * Parses the comma-separated list of origins. An entry that is not an http(s) origin (a path, a
 * query, user info) is left out and reported, so a typo never widens the list.
 */
export function parseAllowedEndpoints(text: string | undefined): { policy: EndpointPolicy; invalid: string[] } {
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const entry of (text ?? '').split(',').map((e) => e.trim())) {
    if (!entry) {
      continue;
    }
    const url = parseUrl(entry);
    if (
      !url ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.username ||
      url.password ||
      (url.pathname !== '/' && url.pathname !== '') ||
      url.search ||
      url.hash
    ) {
      invalid.push(url ? urlLabel(url) : entry.includes('@') ? '(an entry with user info)' : entry);
      continue;
    }
    origins.push(url.origin);
  }
  return { policy: { allowedOrigins: [...new Set(origins)] }, invalid };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** A URL as users may see it: scheme, host, port and path, never user info, query or fragment. */
export function urlLabel(url: URL): string {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // Other schemes have no host part the parser knows: what follows the scheme may be anything.
    return url.host ? `${url.protocol}//${url.host}` : `a ${url.protocol} URL`;
  }
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}

/** `text` (an endpoint setting) as users may see it; a text that is not a URL is not echoed if it may hold credentials. */
export function endpointLabel(text: string): string {
  const url = parseUrl(text);
  if (url) {
    return urlLabel(url);
  }
  return text.includes('@') ? '(an endpoint with user info)' : text;
}

function ipv4Octets(host: string): number[] | undefined {
  return isIP(host) === 4 ? host.split('.').map(Number) : undefined;
}

/** The 8 groups of an IPv6 address (without brackets), IPv4-mapped tails included. */
function ipv6Groups(host: string): number[] | undefined {
  if (isIP(host) !== 6) {
    return undefined;
  }
  let text = host.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...(tail === undefined ? [] : Array(missing).fill('0')), ...tailGroups];
  return groups.map((g) => parseInt(g, 16));
}

/**
 * 169.254.0.0/16, fe80::/10 and fd00:ec2::/32 (the IPv6 instance metadata and EKS Pod Identity
 * addresses), IPv4-mapped forms included. `host` is a URL hostname (brackets allowed) or an IP.
 */
export function isLinkLocal(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  const v4 = ipv4Octets(bare);
  if (v4) {
    return v4[0] === 169 && v4[1] === 254;
  }
  const v6 = ipv6Groups(bare);
  if (!v6) {
    return false;
  }
  const mapped = v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff;
  if (mapped) {
    return v6[6] >> 8 === 169 && (v6[6] & 0xff) === 254;
  }
  return (v6[0] & 0xffc0) === 0xfe80 || (v6[0] === 0xfd00 && v6[1] === 0x0ec2);
}

/** https, and a host with a cloudtrail label under one of AWS's service domains. */
export function isCloudTrailEndpoint(url: URL): boolean {
  if (url.protocol !== 'https:' || url.username || url.password) {
    return false;
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const domain = AWS_DOMAINS.find((d) => host.endsWith(`.${d}`));
  if (!domain) {
    return false;
  }
  const labels = host.slice(0, -domain.length - 1).split('.');
  return labels.some((label) => CLOUDTRAIL_LABELS.has(label));
}

/**
 * Why `settings.endpoint` may not be used by this data source, naming the setting that allows it;
 * undefined when it may (no endpoint, its own keys, CloudTrail's own host, or an allowed origin).
 */
export function endpointRefusal(
  settings: { readonly authType: string; readonly endpoint?: string; readonly assumeRoleArn?: string },
  policy: EndpointPolicy
): string | undefined {
  if (!settings.endpoint) {
    return undefined;
  }
  const url = parseUrl(settings.endpoint);
  if (!url) {
    return `Endpoint ${endpointLabel(settings.endpoint)} is not an http(s) URL.`;
  }
  const label = urlLabel(url);
  if (isLinkLocal(url.hostname)) {
    return `Endpoint ${label} is a link-local address (instance metadata and container credential services live there): no data source may send requests to it.`;
  }
  if (!usesServerCredentials(settings.authType)) {
    return undefined;
  }
  if (isCloudTrailEndpoint(url) || policy.allowedOrigins.includes(url.origin)) {
    return undefined;
  }
  const whose = settings.assumeRoleArn
    ? `assumes a role with the Grafana server's own AWS credentials (authentication "${settings.authType}")`
    : `signs with the Grafana server's own AWS credentials (authentication "${settings.authType}")`;
  return (
    `Endpoint ${label} is refused: this data source ${whose}, so a custom endpoint must be CloudTrail's own ` +
    `(https://cloudtrail.<region>.amazonaws.com, a FIPS, dual-stack or VPC endpoint of CloudTrail) or an origin a ` +
    `Grafana admin lists in ${ALLOWED_ENDPOINTS_SETTING}. Data sources with their own access keys may use any endpoint.`
  );
}
