/**
 * Fetches every page of one ListInsightsMetricData request (NextToken loop). The page count is
 * bounded and a repeated token is caught, so an endless NextToken ends in a clear error instead
 * of a hung query. Every page is validated (pageValidation.ts) before it is merged.
 */
import {
  ListInsightsMetricDataCommand,
  type CloudTrailClient,
  type ListInsightsMetricDataCommandInput,
} from '@aws-sdk/client-cloudtrail';
import type { MetricParams, Range, SeriesPoints } from '../core/series';
import { mergePages, type MetricPage } from '../../../src/shared/mergePages';
import { MAX_POINTS_PER_PAGE } from '../../../src/shared/retention';
import { AwsCallError } from '../aws/awsFailures';
import { awsCall, type AwsCallOptions } from '../aws/awsCall';
import { type CallBudget, type CallScope, type CallStats } from '../core/calls';
import { PageValidator } from './pageValidation';
import { STATUS } from '../core/errors';

export const OPERATION = 'ListInsightsMetricData';
/** The API's MaxResults ceiling (and default): a full retention window fits one page. */
export const MAX_PAGE_SIZE = MAX_POINTS_PER_PAGE;
/** Pages allowed beyond the number the range needs, before an endless NextToken is declared. */
export const EXTRA_PAGES = 2;

export interface FetchStats extends CallStats {
  pages: number;
}

export interface FetchOptions extends AwsCallOptions {
  /** MaxResults per page; smaller pages exercise paging (default: the API maximum). */
  pageSize?: number;
  stats?: FetchStats;
}

/** `ListInsightsMetricData EventSource=… EventName=… … StartTime=… EndTime=…` as sent. */
export function describeCall(params: MetricParams, range: Range): string {
  const parts = [
    `EventSource=${params.EventSource}`,
    `EventName=${params.EventName}`,
    `InsightType=${params.InsightType}`,
    ...(params.ErrorCode ? [`ErrorCode=${params.ErrorCode}`] : []),
    ...(params.TrailName ? [`TrailName=${params.TrailName}`] : []),
    `Period=${params.Period}`,
    `StartTime=${new Date(range.startMs).toISOString()}`,
    `EndTime=${new Date(range.endMs).toISOString()}`,
    `DataType=${params.DataType}`,
  ];
  return `${OPERATION} ${parts.join(' ')}`;
}

/** `ListInsightsMetricData ec2.amazonaws.com RunInstances ApiCallRateInsight`: the series in messages. */
function seriesSubject(params: MetricParams): string {
  return [OPERATION, params.EventSource, params.EventName, params.InsightType, params.ErrorCode, params.TrailName]
    .filter(Boolean)
    .join(' ');
}

export async function fetchAllPages(
  client: CloudTrailClient,
  scope: CallScope,
  params: MetricParams,
  range: () => Range,
  budget: CallBudget,
  options: FetchOptions
): Promise<{ range: Range; points: SeriesPoints }> {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
  let maxPages = Infinity;
  const pages: MetricPage[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  let sent: Range | undefined;
  let validator: PageValidator | undefined;
  for (;;) {
    if (pages.length >= maxPages) {
      throw new AwsCallError(
        `CloudTrail still returned a NextToken after ${maxPages} pages of ${OPERATION}, more than this time range can hold; stopped paging to keep the query bounded.`,
        'downstream',
        STATUS.badUpstream,
        OPERATION
      );
    }
    const answer = await awsCall(
      scope,
      OPERATION,
      (signal) => {
        // The range is read when the first call is actually sent, so joiners can still widen it.
        if (!sent) {
          sent = range();
          const buckets = Math.ceil((sent.endMs - sent.startMs) / 1000 / Number(params.Period));
          maxPages = Math.ceil(buckets / pageSize) + EXTRA_PAGES;
          validator = new PageValidator({
            periodSeconds: Number(params.Period),
            range: sent,
            maxPoints: pageSize,
            subject: seriesSubject(params),
          });
        }
        return client.send(
          new ListInsightsMetricDataCommand({
            ...params,
            StartTime: new Date(sent.startMs),
            EndTime: new Date(sent.endMs),
            ...(pageSize < MAX_PAGE_SIZE ? { MaxResults: pageSize } : {}),
            NextToken: token,
          }),
          { abortSignal: signal }
        );
      },
      budget,
      options
    );
    pages.push(validator!.accept(answer));
    if (options.stats) {
      options.stats.pages++;
    }
    if (!answer.NextToken) {
      break;
    }
    if (seen.has(answer.NextToken)) {
      throw new AwsCallError(
        `CloudTrail returned the same NextToken twice for ${OPERATION}; stopped paging.`,
        'downstream',
        STATUS.badUpstream,
        OPERATION
      );
    }
    seen.add(answer.NextToken);
    token = answer.NextToken;
  }
  // Validated pages: equal lengths, and duplicates (if any) carry equal values.
  return { range: sent!, points: mergePages(pages) };
}
