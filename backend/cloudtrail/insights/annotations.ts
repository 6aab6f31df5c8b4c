/**
 * Insights as Grafana annotations: one row per insight (Start/End pair) overlapping the panel's
 * range, with the averages and top contributors in the text. The filters are the shared query
 * model's event filters (event source, event name, insight type, error code, state), validated
 * like every other query.
 */
import type { Frame } from '../../sdk/frame';
import { INSIGHT_TYPE_LABELS } from '../../../src/shared/queryModel';
import { formatContributors } from './attributions';
import { insightsUrl, trailUrl } from '../aws/consoleLinks';
import { selectInsights, type InsightFilter } from './insightFilter';
import type { Insight } from '../core/insights';

const fmt = (n: number | undefined) =>
  n === undefined ? 'unknown' : n.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function insightTitle(insight: Insight): string {
  const kind = INSIGHT_TYPE_LABELS[insight.insightType as keyof typeof INSIGHT_TYPE_LABELS] ?? insight.insightType;
  const service = insight.eventSource.replace(/\.amazonaws\.com$/, '');
  const what = insight.errorCode ? `${insight.eventName} ${insight.errorCode}` : insight.eventName;
  return `Unusual ${kind}: ${what} (${service})${insight.endMs === undefined ? ' (ongoing)' : ''}`;
}

/** The averages, the top contributors and, given the region, where to read more in the console. */
export function insightText(insight: Insight, region?: string, trail?: string): string {
  const unit = insight.insightType === 'ApiErrorRateInsight' ? 'errors' : 'calls';
  const lines = [
    `Insight average ${fmt(insight.insightAverage)} ${unit}/min vs baseline ${fmt(insight.baselineAverage)} ${unit}/min.`,
  ];
  const who = formatContributors(insight.attributions?.userIdentityArn);
  const agents = formatContributors(insight.attributions?.userAgent);
  if (who) {
    lines.push(`Top user identities: ${who}.`);
  }
  if (agents) {
    lines.push(`Top user agents: ${agents}.`);
  }
  if (region && trail) {
    lines.push(
      `Data events of trail ${trail}. CloudTrail console: ${insightsUrl(region)} (trail: ${trailUrl(region, trail)})`
    );
  } else if (region) {
    lines.push(`CloudTrail console: ${insightsUrl(region)}`);
  }
  return lines.join('\n');
}

export function annotationFrame(
  refId: string,
  insights: Insight[],
  range: { fromMs: number; toMs: number },
  filter: InsightFilter,
  nowMs: number,
  region?: string,
  trail?: string
): Frame {
  const rows = selectInsights(insights, filter, range, nowMs).sort((a, b) => a.startMs - b.startMs);
  return {
    name: 'CloudTrail Insights',
    refId,
    fields: [
      { name: 'time', type: 'time', values: rows.map((i) => i.startMs) },
      { name: 'timeEnd', type: 'time', values: rows.map((i) => i.endMs ?? nowMs) },
      { name: 'title', type: 'string', values: rows.map(insightTitle) },
      { name: 'text', type: 'string', values: rows.map((i) => insightText(i, region, trail)) },
      {
        name: 'tags',
        type: 'string',
        // Comma-separated: Arrow list fields are not accepted by Grafana's frame decoder.
        values: rows.map((i) =>
          [
            i.insightType,
            i.eventSource,
            i.eventName,
            ...(i.errorCode ? [i.errorCode] : []),
            ...(trail ? ['data events'] : []),
          ].join(',')
        ),
      },
    ],
    meta: {
      dataTopic: 'annotations',
      executedQueryString: trail
        ? `ListInsightsData InsightSource=${trail} DataType=InsightsEvents (last 90 days, cached)`
        : 'LookupEvents EventCategory=insight (last 90 days, cached)',
    },
  };
}
