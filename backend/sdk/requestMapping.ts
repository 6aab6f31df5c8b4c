/**
 * Protobuf requests -> the typed requests plugin authors see (types.ts): numbers instead of
 * bigints, parsed jsonData/query JSON, secure data kept in its own object.
 */
import type * as pb from './gen/pluginv2_pb';
import type {
  CallResourceRequest,
  DataQuery,
  DataSourceInstanceSettings,
  JsonObject,
  PluginContext,
  TimeRange,
} from './types';

const utf8 = new TextDecoder();

/** Thrown when settings or query JSON cannot be parsed; message is safe to show users. */
export class RequestParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestParseError';
  }
}

/** Parses JSON bytes that must hold an object; empty bytes mean `{}`. */
export function parseJsonObject(bytes: Uint8Array, what: string): JsonObject {
  const text = utf8.decode(bytes).trim();
  if (text === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RequestParseError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RequestParseError(`${what} must be a JSON object`);
  }
  return parsed as JsonObject;
}

export function toDataSourceSettings(settings: pb.DataSourceInstanceSettings): DataSourceInstanceSettings {
  return {
    id: Number(settings.id),
    uid: settings.uid,
    name: settings.name,
    url: settings.url,
    user: settings.user,
    database: settings.database,
    basicAuthEnabled: settings.basicAuthEnabled,
    basicAuthUser: settings.basicAuthUser,
    jsonData: parseJsonObject(settings.jsonData, 'data source jsonData'),
    decryptedSecureJsonData: Object.freeze({ ...settings.decryptedSecureJsonData }),
    lastUpdatedMS: Number(settings.lastUpdatedMS),
  };
}

export function toPluginContext(context: pb.PluginContext | undefined): PluginContext {
  const settings = context?.dataSourceInstanceSettings;
  const user = context?.user;
  return {
    orgId: Number(context?.orgId ?? 0n),
    pluginId: context?.pluginId ?? '',
    user: user ? { login: user.login, name: user.name, email: user.email, role: user.role } : undefined,
    dataSourceInstanceSettings: settings ? toDataSourceSettings(settings) : undefined,
    grafanaConfig: Object.freeze({ ...(context?.grafanaConfig ?? {}) }),
    pluginVersion: context?.pluginVersion ?? '',
    userAgent: context?.userAgent ?? '',
  };
}

export function toTimeRange(range: pb.TimeRange | undefined): TimeRange {
  const fromMs = Number(range?.fromEpochMS ?? 0n);
  const toMs = Number(range?.toEpochMS ?? 0n);
  return { fromMs, toMs, from: new Date(fromMs), to: new Date(toMs) };
}

/** One query, or the reason it cannot be parsed (which fails only that query). */
export type ParsedQuery = { ok: true; query: DataQuery } | { ok: false; refId: string; error: string };

export function toDataQuery(query: pb.DataQuery): ParsedQuery {
  try {
    return {
      ok: true,
      query: {
        refId: query.refId,
        queryType: query.queryType,
        maxDataPoints: Number(query.maxDataPoints),
        intervalMs: Number(query.intervalMS),
        timeRange: toTimeRange(query.timeRange),
        json: parseJsonObject(query.json, `query ${query.refId}`),
      },
    };
  } catch (error) {
    return { ok: false, refId: query.refId, error: (error as Error).message };
  }
}

export function toCallResourceRequest(req: pb.CallResourceRequest, pluginContext: PluginContext): CallResourceRequest {
  const headers: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(req.headers)) {
    headers[name] = [...list.values];
  }
  return {
    pluginContext,
    path: req.path.replace(/^\/+/, ''),
    method: req.method || 'GET',
    url: req.url,
    searchParams: new URL(req.url || req.path, 'http://plugin.invalid/').searchParams,
    headers,
    body: req.body,
  };
}
