/**
 * Grafana's resource route, reduced to what the editors use: forwards
 * `/api/datasources/uid/<uid>/resources/<path>?<query>` to the backend's Resource/CallResource over
 * gRPC with the data source's settings (secrets decrypted, as Grafana sends them) in the plugin context.
 */
import { pluginv2, type LaunchedPlugin } from '../../backend/sdk/testing/pluginClient';

export const PLUGIN_ID = 'trailwatch-cloudtrailinsights-datasource';

export interface DataSourceUnderTest {
  uid: string;
  name: string;
  jsonData: Record<string, unknown>;
  decryptedSecureJsonData: Record<string, string>;
}

export interface ResourceAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface ResourceCall {
  path: string;
  query: string;
  status: number;
  ms: number;
}

const ROUTE = /^\/api\/datasources\/uid\/([^/]+)\/resources\/(.*)$/;

/** Splits a request URL into the data source uid and the resource path, or undefined if not a resource call. */
export function matchResourceRoute(url: URL): { uid: string; path: string } | undefined {
  const match = ROUTE.exec(url.pathname);
  return match ? { uid: decodeURIComponent(match[1]), path: match[2] } : undefined;
}

export async function callResource(
  plugin: LaunchedPlugin,
  datasource: DataSourceUnderTest,
  request: { path: string; search: string; method: string }
): Promise<ResourceAnswer> {
  const messages = await plugin.stream<typeof pluginv2.CallResourceResponseSchema>(pluginv2.Resource, 'callResource', {
    pluginContext: {
      orgId: 1n,
      pluginId: PLUGIN_ID,
      pluginVersion: '1.0.0',
      user: { login: 'browser-test', name: 'Browser test', role: 'Admin' },
      dataSourceInstanceSettings: {
        id: 1n,
        uid: datasource.uid,
        name: datasource.name,
        jsonData: new TextEncoder().encode(JSON.stringify(datasource.jsonData)),
        decryptedSecureJsonData: datasource.decryptedSecureJsonData,
        lastUpdatedMS: BigInt(Date.now()),
      },
      grafanaConfig: { AWS_AUTH_AllowedAuthProviders: 'default,keys,credentials', AWS_AUTH_AssumeRoleEnabled: 'true' },
    },
    path: request.path,
    method: request.method,
    url: `${request.path}${request.search}`,
    headers: {},
    body: new Uint8Array(),
  });
  if (messages.length === 0) {
    throw new Error(`backend sent no CallResourceResponse for ${request.path}`);
  }
  const first = messages[0];
  const contentType =
    first.headers['Content-Type']?.values[0] ?? first.headers['content-type']?.values[0] ?? 'application/json';
  return {
    status: first.code,
    contentType,
    body: Buffer.concat(messages.map((message) => Buffer.from(message.body))),
  };
}
