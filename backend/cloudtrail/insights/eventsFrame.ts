/**
 * The Insights events table: one row per Insight (its Start and End events merged), newest first,
 * with the statistics and top contributors CloudTrail reports. Plain typed columns (time, number,
 * string) so table panels, Explore, transformations and SQL expressions all read it.
 */
import type { Field, Frame, Notice } from '../../sdk/frame';
import { INSIGHT_TYPE_LABELS } from '../../../src/shared/queryModel';
import { formatContributors } from './attributions';
import { eventHistoryUrl, insightsUrl, trailUrl } from '../aws/consoleLinks';
import { isOngoing } from './insightFilter';
import type { Insight } from '../core/insights';

export interface EventsFrameInput {
  refId: string;
  region: string;
  /** Data-event scope: the trail; its column (linked to the trail's console page) replaces event history. */
  trail?: string;
  insights: readonly Insight[];
  nowMs: number;
  executedQueryString: string;
  notices: Notice[];
}

/** insight ÷ baseline; empty when there is no baseline to compare with. */
export function ratio(insight: Insight): number | null {
  const { insightAverage, baselineAverage } = insight;
  return insightAverage !== undefined && baselineAverage !== undefined && baselineAverage > 0
    ? insightAverage / baselineAverage
    : null;
}

export function eventsFrame(input: EventsFrameInput): Frame {
  const rows = input.insights;
  const column = <T extends Field['type']>(
    name: string,
    type: T,
    displayName: string,
    values: Field<T>['values'],
    config: Record<string, unknown> = {}
  ): Field<T> => ({ name, type, values, nullable: true, config: { displayName, ...config } });
  const fields: Field[] = [
    column(
      'start',
      'time',
      'Start',
      rows.map((i) => i.startMs)
    ),
    column(
      'end',
      'time',
      'End',
      rows.map((i) => i.endMs ?? null),
      {
        description: 'Empty while the Insight is ongoing',
      }
    ),
    column(
      'duration',
      'number',
      'Duration',
      rows.map((i) => ((i.endMs ?? input.nowMs) - i.startMs) / 1000),
      {
        unit: 's',
        description: 'Until now for ongoing Insights',
      }
    ),
    column(
      'state',
      'string',
      'State',
      rows.map((i) => (isOngoing(i) ? 'Ongoing' : 'Ended'))
    ),
    column(
      'eventSource',
      'string',
      'Event source',
      rows.map((i) => i.eventSource)
    ),
    column(
      'eventName',
      'string',
      'Event name',
      rows.map((i) => i.eventName)
    ),
    column(
      'insightType',
      'string',
      'Insight type',
      rows.map((i) => i.insightType),
      {
        mappings: [
          {
            type: 'value',
            options: Object.fromEntries(Object.entries(INSIGHT_TYPE_LABELS).map(([k, text]) => [k, { text }])),
          },
        ],
      }
    ),
    column(
      'errorCode',
      'string',
      'Error code',
      rows.map((i) => i.errorCode ?? null)
    ),
    column(
      'baselineAverage',
      'number',
      'Baseline average',
      rows.map((i) => i.baselineAverage ?? null),
      {
        description: 'Calls (or errors) per minute over the 7 days before the Insight started',
        decimals: 2,
      }
    ),
    column(
      'insightAverage',
      'number',
      'Insight average',
      rows.map((i) => i.insightAverage ?? null),
      {
        description: 'Calls (or errors) per minute during the Insight (its first minute while ongoing)',
        decimals: 2,
      }
    ),
    column('ratio', 'number', 'Ratio', rows.map(ratio), {
      description: 'Insight average ÷ baseline average',
      decimals: 1,
    }),
    column(
      'userIdentities',
      'string',
      'Top user identities',
      rows.map((i) => formatContributors(i.attributions?.userIdentityArn))
    ),
    column(
      'userAgents',
      'string',
      'Top user agents',
      rows.map((i) => formatContributors(i.attributions?.userAgent))
    ),
    column(
      'errorCodes',
      'string',
      'Top error codes',
      rows.map((i) => formatContributors(i.attributions?.errorCode))
    ),
    column(
      'region',
      'string',
      'Region',
      rows.map(() => input.region)
    ),
    column(
      'eventId',
      'string',
      'Event ID',
      rows.map((i) => i.eventId ?? i.id),
      {
        links: [
          {
            title: 'Insights of this region in the CloudTrail console',
            url: insightsUrl(input.region),
            targetBlank: true,
          },
        ],
      }
    ),
    input.trail
      ? // Event history lists management events only: a data-event Insight links to its trail.
        column(
          'trail',
          'string',
          'Trail',
          rows.map(() => input.trail!),
          {
            links: [
              {
                title: 'The trail in the CloudTrail console',
                url: trailUrl(input.region, input.trail),
                targetBlank: true,
              },
            ],
          }
        )
      : column(
          'eventHistory',
          'string',
          'Event history',
          // The calls behind the Insight: its event source and name while it lasted.
          rows.map((i) =>
            eventHistoryUrl(input.region, {
              eventSource: i.eventSource,
              eventName: i.eventName,
              startMs: i.startMs,
              endMs: i.endMs ?? input.nowMs,
            })
          ),
          { links: [{ title: 'Event history in the CloudTrail console', url: '${__value.raw}', targetBlank: true }] }
        ),
  ];
  return {
    name: 'Insights events',
    refId: input.refId,
    fields,
    meta: {
      preferredVisualisationType: 'table',
      executedQueryString: input.executedQueryString,
      ...(input.notices.length ? { notices: input.notices } : {}),
      stats: [{ displayName: 'Insights', value: rows.length }],
    },
  };
}
