import { INSIGHT_VALUE_FIELDS, RESOURCE_PATHS } from './resources';
import {
  DEFAULT_VARIABLE_REF_ID,
  INSIGHT_VALUE_FIELD_LABELS,
  VARIABLE_FILTERS,
  VARIABLE_FILTER_NAMES,
  VARIABLE_KINDS,
  VARIABLE_KIND_LABELS,
  isInsightValueField,
  keepOwnFilters,
  migrateVariableQuery,
  variableParams,
  variablePath,
  type VariableQueryFields,
} from './variableQuery';

describe('migrateVariableQuery', () => {
  test('a variable saved before kinds (no kind, a plain string, nothing) lists event sources', () => {
    // The refId older editors saved, kept so saved dashboards do not change.
    expect(DEFAULT_VARIABLE_REF_ID).toBe('CloudTrailInsightsVariable');
    expect(migrateVariableQuery('')).toEqual({ refId: DEFAULT_VARIABLE_REF_ID, kind: 'eventSources' });
    expect(migrateVariableQuery('event-sources')).toEqual({ refId: DEFAULT_VARIABLE_REF_ID, kind: 'eventSources' });
    expect(migrateVariableQuery(undefined)).toEqual({ refId: DEFAULT_VARIABLE_REF_ID, kind: 'eventSources' });
    expect(migrateVariableQuery(null)).toEqual({ refId: DEFAULT_VARIABLE_REF_ID, kind: 'eventSources' });
    expect(migrateVariableQuery({ refId: 'v', region: 'eu-west-1' })).toEqual({
      refId: 'v',
      kind: 'eventSources',
      region: 'eu-west-1',
    });
  });

  test('saved kinds and their fields stay as saved, a kind this version does not know included', () => {
    const saved = { refId: 'x', kind: 'errorCodes', region: 'us-west-2', eventSource: 'iam.amazonaws.com' };
    expect(migrateVariableQuery(saved)).toEqual(saved);
    expect(migrateVariableQuery({ refId: 'x', kind: 'buckets' })).toEqual({ refId: 'x', kind: 'buckets' });
  });
});

describe('keepOwnFilters', () => {
  const everything: VariableQueryFields = {
    kind: 'insights',
    region: 'eu-west-1',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    insightType: 'ApiErrorRateInsight',
    errorCode: 'AccessDenied',
    state: 'ongoing',
    valueField: 'eventId',
  };

  test.each([
    ['regions', {}],
    ['eventSources', { region: 'eu-west-1' }],
    ['trails', { region: 'eu-west-1' }],
    ['eventNames', { region: 'eu-west-1', eventSource: 'iam.amazonaws.com' }],
    ['errorCodes', { region: 'eu-west-1', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' }],
  ] as const)('%s keeps only its own filters', (kind, kept) => {
    expect(keepOwnFilters({ ...everything, kind })).toEqual({ kind, ...kept });
  });

  test('Insights events keep every filter; empty ones are dropped; other fields stay', () => {
    expect(keepOwnFilters(everything)).toEqual(everything);
    expect(keepOwnFilters({ ...everything, refId: 'v', eventSource: '', errorCode: undefined })).toEqual({
      refId: 'v',
      kind: 'insights',
      region: 'eu-west-1',
      eventName: 'CreateUser',
      insightType: 'ApiErrorRateInsight',
      state: 'ongoing',
      valueField: 'eventId',
    });
  });

  test('an unknown kind keeps no filter', () => {
    expect(keepOwnFilters({ ...everything, kind: 'buckets' as never })).toEqual({ kind: 'buckets' });
  });

  test('the Insights kind takes every filter there is', () => {
    for (const kind of VARIABLE_KINDS) {
      VARIABLE_FILTERS[kind].forEach((filter) => expect(VARIABLE_FILTER_NAMES).toContain(filter));
    }
  });
});

describe('variablePath and variableParams', () => {
  test('each kind reads the route of the same name; an unknown kind none', () => {
    for (const kind of VARIABLE_KINDS) {
      expect(variablePath(kind)).toBe(RESOURCE_PATHS[kind]);
      expect(VARIABLE_KIND_LABELS[kind]).toMatch(/^[A-Z]/);
    }
    expect(variablePath('insights')).toBe('insights');
    expect(variablePath('buckets')).toBeUndefined();
    expect(variablePath('toString')).toBeUndefined();
  });

  test("a list's parameters are its own non-empty filters", () => {
    expect(variableParams({ kind: 'eventNames', region: 'eu-west-1', eventSource: '', state: 'ongoing' })).toEqual({
      region: 'eu-west-1',
    });
    expect(variableParams({ kind: 'regions', region: 'eu-west-1' }, { fromMs: 0, toMs: 1 })).toEqual({});
    expect(variableParams({ kind: 'buckets' as never, region: 'eu-west-1' })).toEqual({});
  });

  test('Insights events send their filters, the value field as `value`, and the time range in whole ms', () => {
    expect(
      variableParams(
        {
          kind: 'insights',
          eventName: 'CreateUser',
          insightType: 'ApiCallRateInsight',
          state: 'ended',
          valueField: 'eventSource',
        },
        { fromMs: 1000.4, toMs: 2000.2 }
      )
    ).toEqual({
      eventName: 'CreateUser',
      insightType: 'ApiCallRateInsight',
      state: 'ended',
      value: 'eventSource',
      from: '1000',
      to: '2001',
    });
    // Without a range (or value field) the backend's defaults apply: last 90 days, event names.
    expect(variableParams({ kind: 'insights' })).toEqual({});
  });

  test('every value field has its own readable label', () => {
    expect(INSIGHT_VALUE_FIELD_LABELS).toEqual({
      eventName: 'Event name',
      eventSource: 'Event source',
      errorCode: 'Error code',
      eventId: 'Event ID (one per Insight)',
    });
    expect(Object.keys(INSIGHT_VALUE_FIELD_LABELS)).toEqual([...INSIGHT_VALUE_FIELDS]);
  });

  test('value fields', () => {
    expect(['eventName', 'eventSource', 'errorCode', 'eventId'].every(isInsightValueField)).toBe(true);
    expect(isInsightValueField('userAgent')).toBe(false);
    expect(isInsightValueField(undefined)).toBe(false);
  });
});

describe('variables of the data-event scope', () => {
  const arn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/data-events';

  test('the lists of Insights send the trail in the data-event scope only', () => {
    for (const kind of ['eventSources', 'eventNames', 'errorCodes', 'insights'] as const) {
      expect(variableParams({ kind, eventCategory: 'data', trailName: arn })).toEqual({ trailName: arn });
      expect(variableParams({ kind, eventCategory: 'management', trailName: arn })).toEqual({});
    }
    expect(variableParams({ kind: 'trails', eventCategory: 'data', trailName: arn, region: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
    });
  });

  test('the management scope is the default: neither it nor a trail is kept', () => {
    expect(keepOwnFilters({ kind: 'eventSources', eventCategory: 'management', trailName: arn })).toEqual({
      kind: 'eventSources',
    });
    expect(keepOwnFilters({ kind: 'eventNames', eventCategory: 'data', trailName: arn })).toEqual({
      kind: 'eventNames',
      eventCategory: 'data',
      trailName: arn,
    });
    expect(keepOwnFilters({ kind: 'regions', eventCategory: 'data', trailName: arn })).toEqual({ kind: 'regions' });
  });

  test('error codes that had Insights in the range: value errorCode', () => {
    expect(
      variableParams({ kind: 'insights', valueField: 'errorCode', eventCategory: 'data', trailName: arn })
    ).toEqual({
      value: 'errorCode',
      trailName: arn,
    });
  });
});
