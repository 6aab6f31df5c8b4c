/**
 * A protocol-test data source: it answers each query with the frames the query itself
 * describes, so a test (TypeScript or Go) can send a frame, decode what comes back and
 * compare. Query JSON: `{ "frames": Frame[] }`, or `{ "fail": { message, source, status } }`
 * to make that query throw, or `{ "points": n }` for one n-point time series (benchmarks).
 * `{ "sabotage": true }` also leaves an unhandled rejection and an uncaught exception behind.
 * Used by tests, the interop harness and the benchmark only; never by the CloudTrail plugin.
 */
import type { Frame } from '../frame';
import { HealthStatus, QueryError, type DataSourceInstance, type ErrorSource, type InstanceFactory } from '../types';

interface EchoQuery {
  frames?: Frame[];
  fail?: { message: string; source?: ErrorSource; status?: number };
  points?: number;
  /** Milliseconds to wait before answering (cancellation tests). */
  delayMs?: number;
  sabotage?: boolean;
}

const POINT_STEP_MS = 60_000;

/** One time series with `points` rows, one point per minute ending at `toMs`. */
export function seriesFrame(points: number, toMs: number, refId: string): Frame {
  const times: number[] = new Array(points);
  const values: number[] = new Array(points);
  for (let i = 0; i < points; i++) {
    times[i] = toMs - (points - 1 - i) * POINT_STEP_MS;
    values[i] = Math.sin(i / 60) * 100 + i / 10;
  }
  return {
    name: 'series',
    refId,
    fields: [
      { name: 'time', type: 'time', values: times },
      { name: 'value', type: 'number', values, labels: { series: 'sine' } },
    ],
    meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
  };
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

export const createEchoInstance: InstanceFactory = (settings) => {
  let disposed = false;
  const instance: DataSourceInstance = {
    async queryData(req, ctx) {
      const result: Record<string, { frames: Frame[] }> = {};
      for (const query of req.queries) {
        const json = query.json as EchoQuery;
        if (json.delayMs) {
          await wait(json.delayMs, ctx.signal);
        }
        if (json.sabotage) {
          void Promise.reject(new Error('sabotage: unhandled rejection'));
          setTimeout(() => {
            throw new Error('sabotage: uncaught exception');
          });
        }
        if (json.fail) {
          throw new QueryError(json.fail.message, json.fail.source ?? 'plugin', json.fail.status);
        }
        if (json.points !== undefined) {
          result[query.refId] = { frames: [seriesFrame(json.points, query.timeRange.toMs, query.refId)] };
        } else if (Array.isArray(json.frames)) {
          result[query.refId] = { frames: json.frames };
        } else {
          throw new QueryError(`query ${query.refId}: expected "frames", "points" or "fail"`, 'plugin', 400);
        }
      }
      return result;
    },
    async checkHealth(req) {
      const jsonData = req.pluginContext.dataSourceInstanceSettings?.jsonData ?? {};
      if (jsonData.unhealthy) {
        return { status: HealthStatus.Error, message: String(jsonData.unhealthy) };
      }
      return {
        status: HealthStatus.Ok,
        message: `echo data source "${settings.name}" is healthy`,
        jsonDetails: { uid: settings.uid, secureKeys: Object.keys(settings.decryptedSecureJsonData).sort() },
      };
    },
    async callResource(req, sender) {
      const body = JSON.stringify({
        path: req.path,
        method: req.method,
        query: Object.fromEntries(req.searchParams),
        bodyText: new TextDecoder().decode(req.body),
        disposed,
      });
      await sender.send({ status: 200, headers: { 'Content-Type': ['application/json'] }, body });
    },
    dispose() {
      disposed = true;
    },
  };
  return instance;
};
