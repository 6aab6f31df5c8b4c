/**
 * The protocol layer's public surface: what a plugin author implements and receives.
 * Protobuf never leaks past this file's types; the adapters in backend/sdk translate.
 * Nothing here knows about CloudTrail.
 */
import type { Frame } from './frame';

export type JsonObject = Record<string, unknown>;

export interface User {
  login: string;
  name: string;
  email: string;
  role: string;
}

/** DataSourceInstanceSettings with jsonData parsed and secure values kept apart. */
export interface DataSourceInstanceSettings<J = JsonObject> {
  id: number;
  uid: string;
  name: string;
  url: string;
  user: string;
  database: string;
  basicAuthEnabled: boolean;
  basicAuthUser: string;
  jsonData: J;
  /** Decrypted secrets. Never log this object; loggers redact it by key. */
  decryptedSecureJsonData: Readonly<Record<string, string>>;
  lastUpdatedMS: number;
}

export interface PluginContext<J = JsonObject> {
  orgId: number;
  pluginId: string;
  user?: User;
  dataSourceInstanceSettings?: DataSourceInstanceSettings<J>;
  /** Grafana's per-request config (e.g. AWS_AUTH_AllowedAuthProviders). */
  grafanaConfig: Readonly<Record<string, string>>;
  pluginVersion: string;
  userAgent: string;
}

export interface TimeRange {
  fromMs: number;
  toMs: number;
  from: Date;
  to: Date;
}

export interface DataQuery<Q = JsonObject> {
  refId: string;
  queryType: string;
  maxDataPoints: number;
  intervalMs: number;
  timeRange: TimeRange;
  /** The query JSON as the browser sent it, parsed. Invalid JSON fails only this query. */
  json: Q;
}

export interface QueryDataRequest<Q = JsonObject, J = JsonObject> {
  pluginContext: PluginContext<J>;
  /** Request headers; alert evaluations carry `FromAlert: true`. */
  headers: Readonly<Record<string, string>>;
  queries: Array<DataQuery<Q>>;
}

export type ErrorSource = 'plugin' | 'downstream';

export interface DataResponse {
  frames: Frame[];
  /** Set only for a failed query; the other queries of the request still answer. */
  error?: string;
  /** HTTP-like status; defaults to 200 without error, 500 with error. Always sent. */
  status?: number;
  errorSource?: ErrorSource;
}

/** Responses keyed by refId. */
export type QueryDataResponse = Record<string, DataResponse>;

export enum HealthStatus {
  Unknown = 0,
  Ok = 1,
  Error = 2,
}

export interface CheckHealthRequest<J = JsonObject> {
  pluginContext: PluginContext<J>;
  headers: Readonly<Record<string, string>>;
}

export interface CheckHealthResult {
  status: HealthStatus;
  message: string;
  jsonDetails?: JsonObject;
}

export interface CallResourceRequest<J = JsonObject> {
  pluginContext: PluginContext<J>;
  /** Path below /resources/, without a leading slash, e.g. `event-names`. */
  path: string;
  method: string;
  /** The full URL Grafana received, e.g. `event-names?region=us-east-1`; use `searchParams`. */
  url: string;
  searchParams: URLSearchParams;
  headers: Readonly<Record<string, string[]>>;
  body: Uint8Array;
}

export interface CallResourceResponse {
  status: number;
  headers?: Record<string, string[]>;
  body: Uint8Array | string;
}

/** Resource handlers may send several chunks (server streaming); most send one. */
export interface ResourceResponseSender {
  send(response: CallResourceResponse): Promise<void>;
}

/** Cancellation and deadline of the gRPC call that carries a request. */
export interface CallContext {
  signal: AbortSignal;
  /** Epoch ms after which the caller has given up, if the call has a deadline. */
  deadlineMs?: number;
}

/**
 * What a data source instance implements. One instance exists per data source uid and is
 * rebuilt when the settings' lastUpdatedMS changes (see instanceManager).
 */
export interface DataSourceInstance<Q = JsonObject, J = JsonObject> {
  queryData?(req: QueryDataRequest<Q, J>, ctx: CallContext): Promise<QueryDataResponse>;
  checkHealth?(req: CheckHealthRequest<J>, ctx: CallContext): Promise<CheckHealthResult>;
  callResource?(req: CallResourceRequest<J>, sender: ResourceResponseSender, ctx: CallContext): Promise<void>;
  /** Called when the instance is replaced or the process stops. */
  dispose?(): void | Promise<void>;
}

/**
 * A bound on the queries one QueryData request may run, whoever sends it: the queries past `max`
 * (by position) are not run and answer 400 (errorSource plugin) with `message(count, max)`.
 */
export interface QueryLimit {
  max: number;
  message(count: number, max: number): string;
}

export type InstanceFactory<Q = JsonObject, J = JsonObject> = (
  settings: DataSourceInstanceSettings<J>,
  pluginContext: PluginContext<J>
) => DataSourceInstance<Q, J> | Promise<DataSourceInstance<Q, J>>;

/** Thrown from per-query code to fail just that query with a chosen status and source. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly errorSource: ErrorSource = 'plugin',
    readonly status: number = errorSource === 'downstream' ? 502 : 400
  ) {
    super(message);
    this.name = 'QueryError';
  }
}
