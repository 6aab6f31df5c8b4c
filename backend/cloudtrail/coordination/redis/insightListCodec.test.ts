import type { InsightList } from '../../core/insights';
import { decodeInsightList, encodeInsightList } from './insightListCodec';

const T0 = Date.UTC(2026, 11, 1, 9);

const list: InsightList = {
  fetchedAtMs: T0 + 60_000,
  truncated: false,
  pages: 2,
  insights: [
    {
      id: 'shared-1',
      eventId: 'event-1',
      startMs: T0,
      endMs: T0 + 1_800_000,
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      insightType: 'ApiErrorRateInsight',
      errorCode: 'AccessDenied',
      // A baseline of 0 calls is a count like any other.
      baselineAverage: 0,
      insightAverage: 12,
      attributions: {
        userIdentityArn: [{ value: 'arn:aws:iam::123456789012:role/ci', share: 0.75 }],
        errorCode: [{ value: 'AccessDenied', share: 1 }],
      },
    },
    // Ongoing, without the optional fields.
    {
      id: 'shared-2',
      startMs: T0 + 60_000,
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      insightType: 'ApiCallRateInsight',
    },
  ],
};

/** The stored JSON with one change applied to its first Insight ("INFINITY" becomes 1e400, Infinity to JSON.parse). */
function withFirstInsight(change: (insight: Record<string, unknown>) => void): string {
  const stored = JSON.parse(encodeInsightList(list));
  change(stored.list.insights[0]);
  return JSON.stringify(stored).replace('"INFINITY"', '1e400');
}

describe('insightListCodec', () => {
  it('gives back the list it stored, optional fields absent where they were', () => {
    const decoded = decodeInsightList(encodeInsightList(list))!;
    expect(decoded).toEqual(list);
    expect(Object.entries(decoded.insights[1]).filter(([, v]) => v !== undefined)).toHaveLength(5);
  });

  it('an empty list and a list without a page count survive too', () => {
    const empty: InsightList = { insights: [], fetchedAtMs: T0, truncated: true };
    expect(decodeInsightList(encodeInsightList(empty))).toEqual(empty);
    expect(decodeInsightList(encodeInsightList({ ...empty, pages: 0 }))).toEqual({ ...empty, pages: 0 });
  });

  it('is a miss for nothing, non-JSON, another version or another shape', () => {
    for (const text of [undefined, null, '', 'not json', 'null', '5', '[]', '{"v":1}', '{"v":1,"list":[]}']) {
      expect([text, decodeInsightList(text)]).toEqual([text, undefined]);
    }
    const stored = JSON.parse(encodeInsightList(list));
    expect(decodeInsightList(JSON.stringify({ ...stored, v: 2 }))).toBeUndefined();
    for (const [field, value] of [
      ['fetchedAtMs', 'yesterday'],
      ['truncated', 'no'],
      ['pages', 1.5],
      ['pages', -1],
      ['insights', {}],
      ['insights', [null]],
    ] as const) {
      const broken = JSON.stringify({ ...stored, list: { ...stored.list, [field]: value } });
      expect([field, decodeInsightList(broken)]).toEqual([field, undefined]);
    }
  });

  it('refuses a whole list when one Insight holds a value that is not what an Insight holds', () => {
    const broken: Array<[string, (i: Record<string, unknown>) => void]> = [
      ['no id', (i) => delete i.id],
      ['empty event name', (i) => (i.eventName = '')],
      ['start as text', (i) => (i.startMs = '2026-12-01')],
      ['start out of range', (i) => (i.startMs = 'INFINITY')],
      ['end as null', (i) => (i.endMs = null)],
      ['negative average', (i) => (i.insightAverage = -1)],
      ['average as text', (i) => (i.baselineAverage = 'NaN')],
      ['unknown attribute', (i) => (i.attributions = { sourceIp: [{ value: '10.0.0.1', share: 0.5 }] })],
      ['share above 1', (i) => (i.attributions = { userAgent: [{ value: 'aws-cli', share: 1.5 }] })],
      ['contributor without a value', (i) => (i.attributions = { userAgent: [{ share: 0.5 }] })],
      ['attributions as a list', (i) => (i.attributions = [])],
      ['attributions as text', (i) => (i.attributions = '')],
      ['contributors not a list', (i) => (i.attributions = { userAgent: {} })],
    ];
    for (const [name, change] of broken) {
      expect([name, decodeInsightList(withFirstInsight(change))]).toEqual([name, undefined]);
    }
  });

  it('keeps only the fields an Insight has', () => {
    const decoded = decodeInsightList(withFirstInsight((i) => (i.html = '<script>')))!;
    expect(decoded.insights[0]).not.toHaveProperty('html');
    expect(decoded.insights[0]).toEqual(list.insights[0]);
  });
});
