/**
 * Corporate proxies for every AWS call made through the SDK (CloudTrail, STS, and the STS/SSO
 * clients inside credential providers): HTTPS_PROXY, HTTP_PROXY and NO_PROXY, upper or lower case,
 * as Go plugins honour them without asking (aws-sdk-js-v3 does not). The proxy is chosen per
 * request from the environment (proxy-from-env), so NO_PROXY applies to each host; the tunnel is
 * https-proxy-agent's CONNECT (http-proxy-agent for plain-HTTP endpoints such as the simulator).
 * Proxy credentials in the URL become Proxy-Authorization; only proxyLabel() is ever shown.
 * The instance and container metadata endpoints are link-local and are not called through a proxy.
 */
import { Agent as HttpAgent, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

/** The proxy the environment names for a request to `url`, or undefined for a direct call. */
export function proxyFor(url: string): URL | undefined {
  const proxy = getProxyForUrl(url);
  return proxy && !noProxyParentDomain(new URL(url).hostname) ? new URL(proxy) : undefined;
}

/** How a proxy is named to users: scheme, host and port, never its credentials. */
export function proxyLabel(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

interface RequestOptions {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
}

/** What Node calls on an agent for each new request (public in practice, missing from @types/node). */
interface AddRequest {
  addRequest(req: ClientRequest, options: RequestOptions): void;
}

/**
 * An agent for one scheme that hands each request, synchronously as Node adds it (so
 * http-proxy-agent can still rewrite the request line), to the proxy agent for its host or to a
 * direct keep-alive agent. Sockets stay pooled in those agents.
 */
// An https.Agent so the SDK's NodeHttpHandler takes it as either agent; its protocol says which.
class EnvironmentProxyAgent extends HttpsAgent {
  private readonly proxied = new Map<string, HttpAgent>();
  private readonly direct: HttpAgent;

  constructor(private readonly secure: boolean) {
    super({ keepAlive: true });
    this.direct = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 50 }) : new HttpAgent({ keepAlive: true });
    // Node checks an agent's protocol against the request's.
    (this as { protocol?: string }).protocol = secure ? 'https:' : 'http:';
  }

  private agentFor(options: RequestOptions): HttpAgent {
    const hostname = options.hostname ?? options.host ?? 'localhost';
    const host = hostname.includes(':') ? `[${hostname}]` : hostname;
    const proxy = getProxyForUrl(
      `${this.secure ? 'https' : 'http'}://${host}:${options.port ?? (this.secure ? 443 : 80)}`
    );
    if (!proxy || noProxyParentDomain(hostname)) {
      return this.direct;
    }
    let agent = this.proxied.get(proxy);
    if (!agent) {
      agent = this.secure
        ? new HttpsProxyAgent(proxy, { keepAlive: true })
        : new HttpProxyAgent(proxy, { keepAlive: true });
      this.proxied.set(proxy, agent);
    }
    return agent;
  }

  addRequest(req: ClientRequest, options: RequestOptions): void {
    (this.agentFor(options) as unknown as AddRequest).addRequest(req, options);
  }

  destroy(): void {
    for (const agent of [this.direct, ...this.proxied.values()]) {
      agent.destroy();
    }
    this.proxied.clear();
    super.destroy();
  }
}

/**
 * Go (and curl) also read a NO_PROXY entry without a leading dot as its subdomains
 * ("amazonaws.com" covers "sts.us-east-1.amazonaws.com"); proxy-from-env matches it exactly.
 */
function noProxyParentDomain(hostname: string): boolean {
  const entries = (process.env.no_proxy || process.env.NO_PROXY || '').toLowerCase().split(/[,\s]+/);
  const host = hostname.toLowerCase();
  return entries.some((entry) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(entry) && host.endsWith(`.${entry}`));
}

/** The SDK's request handler options (NodeHttpHandler) for one client pool: agents that honour the proxy variables. */
export function proxyAwareRequestHandler(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  return {
    httpAgent: new EnvironmentProxyAgent(false),
    httpsAgent: new EnvironmentProxyAgent(true),
  };
}
