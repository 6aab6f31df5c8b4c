import {
  DATA_TYPES,
  DATA_TYPE_LABELS,
  DEFAULT_QUERY,
  EVENT_CATEGORIES,
  EVENT_CATEGORY_LABELS,
  EVENTS_FORMATS,
  EVENTS_FORMAT_LABELS,
  EVENT_STATES,
  EVENT_STATE_LABELS,
  INSIGHT_TYPES,
  INSIGHT_TYPE_LABELS,
  PERIODS_SECONDS,
  PERIOD_LABELS,
  QUERY_MODEL_VERSION,
  QUERY_TYPES,
  QUERY_TYPE_LABELS,
  VALUE_UNITS,
  VALUE_UNIT_LABELS,
  isDataEventScope,
  parseTrailArn,
  queryRegion,
} from './queryModel';

describe('query model', () => {
  it('new queries ask for the call rate, auto period, gaps filled with zeros, at the current model version', () => {
    expect(DEFAULT_QUERY).toEqual({
      insightType: 'ApiCallRateInsight',
      period: 'auto',
      dataType: 'FillWithZeros',
      modelVersion: QUERY_MODEL_VERSION,
    });
  });

  it.each([
    ['insight type', INSIGHT_TYPES, INSIGHT_TYPE_LABELS],
    ['data type', DATA_TYPES, DATA_TYPE_LABELS],
    ['event state', EVENT_STATES, EVENT_STATE_LABELS],
    ['events format', EVENTS_FORMATS, EVENTS_FORMAT_LABELS],
    ['value unit', VALUE_UNITS, VALUE_UNIT_LABELS],
    ['scope', EVENT_CATEGORIES, EVENT_CATEGORY_LABELS],
    ['query type', QUERY_TYPES, QUERY_TYPE_LABELS],
    ['period', ['auto', ...PERIODS_SECONDS.map(String)], PERIOD_LABELS],
  ] as Array<[string, readonly string[], Record<string, string>]>)(
    'every %s the editors offer has its own readable label',
    (_, values, labels) => {
      const shown = values.map((v) => labels[v]);
      shown.forEach((label) => expect(label).toMatch(/^[A-Z0-9][\w -]+$/));
      expect(new Set(shown).size).toBe(values.length);
      expect(Object.keys(labels).sort()).toEqual([...values].sort());
    }
  );

  it('names periods as the editor shows them', () => {
    expect(PERIOD_LABELS).toEqual({ auto: 'Auto', '60': '1 min', '300': '5 min', '3600': '1 hour' });
    expect(DATA_TYPE_LABELS).toEqual({ FillWithZeros: 'Fill gaps with zeros', NonZeroData: 'Only non-zero points' });
  });
});

describe('scope helpers', () => {
  const arn = 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/data-events';

  it('labels both scopes', () => {
    expect(EVENT_CATEGORIES.map((c) => EVENT_CATEGORY_LABELS[c])).toEqual(['Management events', 'Data events']);
  });

  it('a trail alone (saved before scopes) or the data category is the data-event scope', () => {
    expect(isDataEventScope({})).toBe(false);
    expect(isDataEventScope({ eventCategory: 'management' })).toBe(false);
    expect(isDataEventScope({ trailName: 'data-events' })).toBe(true);
    expect(isDataEventScope({ eventCategory: 'data' })).toBe(true);
    expect(isDataEventScope({ eventCategory: 'management', trailName: 'x' })).toBe(false);
  });

  it('parses trail ARNs of every partition, and nothing else', () => {
    expect(parseTrailArn(arn)).toEqual({ region: 'eu-west-1', accountId: '123456789012', name: 'data-events' });
    expect(parseTrailArn('arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail/t')?.region).toBe('cn-north-1');
    expect(parseTrailArn('data-events')).toBeUndefined();
    expect(parseTrailArn('arn:aws:s3:::bucket')).toBeUndefined();
    expect(parseTrailArn(`x${arn}`)).toBeUndefined();
    expect(parseTrailArn(`${arn}\nextra`)).toBeUndefined();
    expect(parseTrailArn(undefined)).toBeUndefined();
  });

  it("reads the query's region, else its data-event trail ARN's, else the default (undefined)", () => {
    expect(queryRegion({ region: 'us-west-2', eventCategory: 'data', trailName: arn })).toBe('us-west-2');
    expect(queryRegion({ eventCategory: 'data', trailName: arn })).toBe('eu-west-1');
    expect(queryRegion({ region: '', trailName: arn })).toBe('eu-west-1');
    expect(queryRegion({ eventCategory: 'data', trailName: 'data-events' })).toBeUndefined();
    expect(queryRegion({ eventCategory: 'management' })).toBeUndefined();
  });
});
