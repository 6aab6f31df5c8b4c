// Public types of the simulator's in-process API (re-exported by index.ts).
import type { CorruptPageKind } from './behaviour/hostilePages';

export type { CorruptPageKind };

/** When a fault fires: `true` = every call, `{ count: n }` = the next n calls, `{ rate: p }` = with probability p
 *  (seeded, reproducible). `operations` limits the fault to those operation names. `false` = off. */
export type FaultTrigger = boolean | { count?: number; rate?: number; operations?: string[] };

export interface Faults {
  /** Answer HTTP 500 `InternalFailure` instead of running the operation. */
  serverError: FaultTrigger;
  /** Delay every response by this many milliseconds (0 = off). */
  slowMs: number;
  /** Destroy the TCP connection without answering (client sees ECONNRESET / socket hang up). */
  resetConnection: FaultTrigger;
  /** Answer HTTP 200 with a truncated JSON body. */
  malformedBody: FaultTrigger;
  /** ListInsightsMetricData, LookupEvents and ListInsightsData always return a NextToken (an empty page
   *  follows the last one). */
  endlessNextToken: boolean;
  /** No trail (nor event data store) has Insights selectors: GetInsightSelectors throws
   *  InsightNotEnabledException, no Insights events or metric data. */
  insightsDisabled: boolean;
  /** Every CloudTrail/STS call fails authentication (UnrecognizedClientException / InvalidClientTokenId). */
  badCredentials: boolean;
  /** Every call is throttled (ThrottlingException) regardless of the token buckets. */
  throttleAll: boolean;
  /** Answer as AWS does when no IAM policy allows the call: CloudTrail 400 AccessDeniedException, STS
   *  (AssumeRole only; GetCallerIdentity needs no permission) 403 AccessDenied. Usually
   *  `{ operations: ['DescribeTrails'] }`; ListInsightsMetricData is denied as cloudtrail:LookupEvents.
   *  Naming ListInsightsData (cloudtrail:ListInsightsData) also refuses ListInsightsMetricData calls that
   *  carry a TrailName, as AWS requires that permission on the trail for them. */
  accessDenied: FaultTrigger;
  /** ListInsightsMetricData answers 200 with a page that parses but is not real data: a null, "NaN" or
   *  "Infinity" value, a timestamp 17 s off the period grid, a conflicting duplicate timestamp, Values
   *  that are not a list, or an oversized page (3,000,000 points, streamed without Content-Length). */
  corruptPage: false | CorruptPageKind;
  /** A proxy or load balancer in front of the endpoint answers HTTP 502 with an HTML page (the call
   *  never reaches the service: not counted in calls()). */
  htmlError: FaultTrigger;
}

export type QuotaOperation = 'ListInsightsMetricData' | 'LookupEvents' | 'ListInsightsData' | 'other';

export type InsightType = 'ApiCallRateInsight' | 'ApiErrorRateInsight';

/** The event categories an Insights selector watches (botocore: SourceEventCategory). */
export type EventCategory = 'Management' | 'Data';

/** An AWS Organization: its management account owns the organization trail; member accounts see it as a
 *  shadow trail; delegated administrators (members too) may read its data-event Insights like the
 *  management account. Accounts outside it are each the management account of an organization of their own. */
export interface SimulatorOrganization {
  managementAccountId: string;
  memberAccountIds?: string[];
  delegatedAdministratorAccountIds?: string[];
}

export interface SimulatorCredential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId?: string;
}

/** A role whose trust policy requires an external id (`sts:ExternalId` condition). */
export interface SimulatorRole {
  arn: string;
  externalId: string;
}

export interface SimulatorOptions {
  /** 0 = ephemeral port (default 0 in-process; the CLI defaults to 4599). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Data differs per seed + account + region; default 'demo'. */
  seed?: string | number;
  /** Data clock in epoch ms (default Date.now). Rate limiting always uses real monotonic time. */
  now?: () => number;
  /** When set, SigV4 signatures are verified and only these keys (plus STS-issued ones) are accepted. */
  credentials?: SimulatorCredential[];
  /** Roles that AssumeRole grants only with their external id (others: any caller, any or no id). */
  roles?: SimulatorRole[];
  faults?: Partial<Faults>;
  /** Accounts in one organization (default: every account is the management account of its own). */
  organization?: SimulatorOrganization;
  /** true (default) = AWS rates (1/2/2/10 TPS), false = no throttling, or per-operation rates in TPS. */
  quotas?: boolean | Partial<Record<QuotaOperation, number>>;
  /** Log one line per request to stderr (CLI uses this). */
  log?: (line: string) => void;
  /** Serve HTTPS with this PEM key and certificate (as AWS does), instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface SeriesInfo {
  eventSource: string;
  eventName: string;
  insightType: InsightType;
  errorCode?: string;
  /** Mean calls (or errors) per minute before the daily rhythm and episodes are applied. */
  baseRatePerMinute: number;
}

export interface EpisodeInfo {
  /** The Insight's GUID, which both its Start and End event records carry. */
  insightId: string;
  eventSource: string;
  eventName: string;
  insightType: InsightType;
  errorCode?: string;
  /** Epoch ms of the first minute of unusual activity. */
  startMs: number;
  /** Epoch ms just after the last minute of unusual activity (exclusive). */
  endMs: number;
}

export interface InsightSelectorInfo {
  insightType: InsightType;
  eventCategories: EventCategory[];
}

/** A trail as an account sees it from a region (what DescribeTrails and GetInsightSelectors answer). */
export interface TrailInfo {
  name: string;
  trailArn: string;
  /** The account that owns the trail (the management account for an organization trail). */
  accountId: string;
  homeRegion: string;
  isMultiRegionTrail: boolean;
  isOrganizationTrail: boolean;
  /** A replica: seen outside its home region, or an organization trail seen from a member account.
   *  DescribeTrails lists shadows only when includeShadowTrails is true or absent. */
  shadow: boolean;
  /** Event sources whose data events the trail logs ([] = management events only). */
  dataEventSources: string[];
  insightSelectors: InsightSelectorInfo[];
}

export interface EventDataStoreInfo {
  eventDataStoreArn: string;
  /** The event data store that receives its Insights events (absent: Insights not enabled on it). */
  insightsDestination?: string;
  insightSelectors: InsightSelectorInfo[];
}

export interface Catalog {
  accountId: string;
  region: string;
  /** The management-events trail's ARN. */
  trailArn: string;
  /** Management-event series (answered with or without TrailName). */
  series: SeriesInfo[];
  /** Management-event Insights (LookupEvents) that started within the last 90 days of the simulator
   *  clock, oldest first. */
  episodes: EpisodeInfo[];
  /** Every trail DescribeTrails lists (shadows included), in its order. */
  trails: TrailInfo[];
  /** The data-event trail: its series answer ListInsightsMetricData only with its TrailName; its
   *  Insights (ListInsightsData, not LookupEvents) that started within the last 90 days, oldest first. */
  dataEvents: { trailName: string; trailArn: string; series: SeriesInfo[]; episodes: EpisodeInfo[] };
  eventDataStores: EventDataStoreInfo[];
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Attempts per operation name: every authenticated request naming a known operation, including
   *  throttled, faulted and invalid ones. */
  calls(): Record<string, number>;
  /** The subset of attempts answered with ThrottlingException. */
  throttled(): Record<string, number>;
  resetCounts(): void;
  setFaults(f: Partial<Faults>): void;
  faults(): Faults;
  /** The series and Insights episodes generated for an account/region (default account: the one derived
   *  from the first configured credential, else from access key 'AKIDSIMULATOR'). */
  catalog(region: string, accountId?: string): Catalog;
  /** Account id the simulator derives for an access key id (configured, STS-issued, or hashed). */
  accountIdFor(accessKeyId: string): string;
}
