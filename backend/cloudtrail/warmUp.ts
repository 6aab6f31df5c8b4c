/**
 * The start-up warm-up of the metrics query path (serve's `warmUp`, before the handshake). A fresh
 * process answered its first ~100 uncached queries 2–3× slower than later ones: JavaScriptCore
 * compiles code to fast machine code only after it has run many times (bench:peer). So synthetic
 * uncached queries (an hour of one-minute points, every tenth a day: 1,440) run first through the
 * code a real one takes — protobuf, the instance, validation and planning, the series source, the
 * AWS SDK client (signing, HTTP, parsing), page validation and merging, the frame and its Arrow
 * encoding — against a stand-in for ListInsightsMetricData on this process's loopback interface
 * (warmUpEndpoint.ts). It is not done for the gRPC server itself: a grpc-js client in the same
 * process took ~8 ms a round trip, more than it would save.
 *
 * Nothing real is touched: no AWS call (not even STS: the pool's scope is a fixed made-up
 * account), no proxy, no Redis; the instance has its own series cache, an open quota gate, no
 * refresher and its own Insights cache; the CloudTrail counters it moved start from zero again.
 * Env CLOUDTRAIL_WARMUP_QUERIES sets how many queries (default 150; 0 turns it off).
 */
import { Agent } from 'node:http';
import { create } from '@bufbuild/protobuf';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import * as pb from '../sdk/gen/pluginv2_pb';
import { createLogger } from '../sdk/logger';
import { warmUpQueryData, type WarmUpResult } from '../sdk/warmUp';
import type { CallScope } from './awsCall';
import { ClientPool, newCloudTrailClient } from './clients';
import { localCoordination, noBucketStore, noFetchLock } from './coordination/localCoordination';
import type { QuotaGate } from './coordination/types';
import { InsightCache } from './insightCache';
import { makeCloudTrailInstanceFactory } from './instance';
import { AccountScope } from './keys';
import { apiCalls, apiLatency, cacheLookups, coalescedRequests, retries, throttles } from './metrics';
import { SeriesCache } from './seriesCache';
import { SeriesSource } from './seriesSource';
import type { AuthPolicy, CloudTrailSettings } from './settings';
import { startWarmUpEndpoint } from './warmUpEndpoint';

export const DEFAULT_WARMUP_QUERIES = 150;
/** The warm-up stops after this long whatever its count (a loaded machine must not delay start-up long). */
export const WARMUP_MAX_MS = 1_500;

const REGION = 'us-east-1';
const quiet = createLogger({ write: () => undefined });
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Every this many queries one asks for a day (1,440 points) and the others for an hour. */
const FULL_DAY_EVERY = 10;

/** Grants every call at once: the warm-up's calls never reach a real quota. */
const openGate: QuotaGate = { acquire: async () => undefined, backOff: () => undefined };

/** A pool whose scope is a made-up account (no STS call) and whose clients call the stand-in. */
class LoopbackPool extends ClientPool {
  private readonly client: CloudTrailClient;

  constructor(settings: CloudTrailSettings, policy: AuthPolicy, endpoint: string, agent: Agent) {
    super(settings, policy);
    this.client = newCloudTrailClient({
      region: REGION,
      credentials: async () => ({ accessKeyId: settings.accessKey ?? '', secretAccessKey: settings.secretKey ?? '' }),
      // A plain agent: the warm-up never goes through a proxy the environment names.
      requestHandler: { httpAgent: agent },
      endpoint,
    });
  }

  override async scope(region: string): Promise<CallScope> {
    return {
      account: new AccountScope({ kind: 'account', accountId: '000000000000' }, region, this.settings.endpoint),
      endpointLabel: 'the warm-up stand-in',
    };
  }

  override cloudTrailClient(): CloudTrailClient {
    return this.client;
  }

  override dispose(): void {
    this.client.destroy();
    super.dispose();
  }
}

/** The i-th synthetic query: a distinct series each time, so each one misses the cache like a cold one. */
function warmUpRequest(endpoint: string, i: number, nowMs: number): pb.QueryDataRequest {
  const toMs = Math.floor(nowMs / 60_000) * 60_000 - 5 * 60_000;
  // Per-point code gets hot on any length; short answers make the per-query code's runs cheap.
  const spanMs = i % FULL_DAY_EVERY === 0 ? DAY_MS : HOUR_MS;
  const json = {
    refId: 'A',
    queryType: 'metrics',
    region: REGION,
    eventSource: 'ec2.amazonaws.com',
    eventName: `WarmUp${i}`,
    insightType: 'ApiCallRateInsight',
    period: 60,
    dataType: 'FillWithZeros',
  };
  const utf8 = new TextEncoder();
  return create(pb.QueryDataRequestSchema, {
    pluginContext: {
      orgId: 1n,
      pluginId: 'warm-up',
      dataSourceInstanceSettings: {
        uid: 'warm-up',
        lastUpdatedMS: 1n,
        jsonData: utf8.encode(JSON.stringify({ authType: 'keys', defaultRegion: REGION, endpoint })),
        decryptedSecureJsonData: { accessKey: 'AKIAWARMUP0000000000', secretKey: 'warm-up-not-a-secret' },
      },
      grafanaConfig: { AWS_AUTH_AllowedAuthProviders: 'keys' },
    },
    queries: [
      {
        refId: 'A',
        queryType: 'metrics',
        maxDataPoints: 100_000n,
        intervalMS: 60_000n,
        timeRange: { fromEpochMS: BigInt(toMs - spanMs), toEpochMS: BigInt(toMs) },
        json: utf8.encode(JSON.stringify(json)),
      },
    ],
  });
}

/** Queries to run from CLOUDTRAIL_WARMUP_QUERIES (default 150; 0 or less turns the warm-up off). */
export function warmUpQueries(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.CLOUDTRAIL_WARMUP_QUERIES);
  return env.CLOUDTRAIL_WARMUP_QUERIES?.trim() && Number.isFinite(n)
    ? Math.max(0, Math.floor(n))
    : DEFAULT_WARMUP_QUERIES;
}

export interface WarmUpReport extends WarmUpResult {
  /** Calls the stand-in answered (one per query: each is uncached). */
  calls: number;
}

export async function warmUpMetricsQueries(count = warmUpQueries(), maxMs = WARMUP_MAX_MS): Promise<WarmUpReport> {
  if (count === 0) {
    return { requests: 0, failures: 0, calls: 0 };
  }
  const endpoint = await startWarmUpEndpoint();
  const agent = new Agent({ keepAlive: true });
  try {
    const factory = makeCloudTrailInstanceFactory({
      series: new SeriesSource(new SeriesCache(), {
        gatherMs: 0,
        limiter: openGate,
        coordination: { buckets: noBucketStore, locks: noFetchLock },
      }),
      refresher: null,
      insightCache: new InsightCache(),
      coordination: localCoordination(openGate),
      clientPool: (settings, policy) => new LoopbackPool(settings, policy, endpoint.url, agent),
      logger: quiet,
    });
    const result = await warmUpQueryData(factory, (i) => warmUpRequest(endpoint.url, i, Date.now()), {
      count,
      maxMs,
    });
    return { ...result, calls: endpoint.calls };
  } finally {
    // Its calls were not calls: the process's counters start from zero (nothing real ran yet).
    for (const metric of [apiCalls, apiLatency, cacheLookups, coalescedRequests, retries, throttles]) {
      metric.reset();
    }
    agent.destroy();
    await endpoint.close();
  }
}
