import {
  DATA_TYPES,
  DATA_TYPE_LABELS,
  DEFAULT_QUERY,
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
