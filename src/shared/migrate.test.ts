import { migratePeriod, migrateQuery } from './migrate';
import { QUERY_MODEL_VERSION } from './queryModel';
import { validateQuery } from './validation';

describe('migrateQuery', () => {
  it('fills defaults for a new, empty query', () => {
    expect(migrateQuery({ refId: 'A' })).toEqual({
      refId: 'A',
      eventSource: '',
      eventName: '',
      insightType: 'ApiCallRateInsight',
      period: 'auto',
      dataType: 'FillWithZeros',
      modelVersion: QUERY_MODEL_VERSION,
    });
  });

  it('upgrades unversioned drafts that used source/name/metric/legend', () => {
    const migrated = migrateQuery({
      refId: 'B',
      source: ' s3.amazonaws.com ',
      name: 'PutBucketPolicy',
      metric: 'errors',
      errorCode: 'AccessDenied',
      period: '5m',
      legend: '{{eventName}}',
      datasource: { type: 'trailwatch-cloudtrailinsights-datasource', uid: 'x' },
    });
    expect(migrated).toEqual({
      refId: 'B',
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketPolicy',
      insightType: 'ApiErrorRateInsight',
      errorCode: 'AccessDenied',
      period: 300,
      dataType: 'FillWithZeros',
      legendFormat: '{{eventName}}',
      modelVersion: QUERY_MODEL_VERSION,
      datasource: { type: 'trailwatch-cloudtrailinsights-datasource', uid: 'x' },
    });
    expect(validateQuery(migrated)).toEqual([]);
  });

  it('keeps current queries as they are and drops empty optional fields', () => {
    const current = {
      refId: 'C',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      insightType: 'ApiCallRateInsight',
      period: 3600,
      dataType: 'NonZeroData',
      region: 'eu-west-1',
      errorCode: '',
      modelVersion: QUERY_MODEL_VERSION,
    };
    const { errorCode, ...expected } = current;
    expect(migrateQuery(current)).toEqual(expected);
  });

  it('keeps unknown values so that validation names them', () => {
    const migrated = migrateQuery({ refId: 'D', insightType: 'Bogus', period: 42, dataType: 'All' });
    expect(validateQuery(migrated).map((i) => i.field)).toEqual([
      'eventSource',
      'eventName',
      'insightType',
      'period',
      'dataType',
    ]);
  });
});

describe('migratePeriod', () => {
  it.each([
    [undefined, 'auto'],
    ['', 'auto'],
    ['auto', 'auto'],
    [60, 60],
    ['300', 300],
    ['1h', 3600],
    ['1m', 60],
  ])('%j → %j', (saved, expected) => expect(migratePeriod(saved)).toBe(expected));
});

describe('migrateQuery: events and annotations', () => {
  it('treats the insight type as an optional filter outside metrics queries', () => {
    expect(migrateQuery({ refId: 'E', queryType: 'events' }).insightType).toBeUndefined();
    expect(migrateQuery({ refId: 'E', queryType: 'events', insightType: ' ' }).insightType).toBeUndefined();
    expect(migrateQuery({ refId: 'E', queryType: 'events', insightType: 'ApiErrorRateInsight' }).insightType).toBe(
      'ApiErrorRateInsight'
    );
    expect(migrateQuery({ refId: 'M', queryType: 'metrics' }).insightType).toBe('ApiCallRateInsight');
  });

  it('gives events and annotations no period or data type of their own', () => {
    expect(migrateQuery({ refId: 'E', queryType: 'events' })).toEqual({
      refId: 'E',
      queryType: 'events',
      eventSource: '',
      eventName: '',
      modelVersion: QUERY_MODEL_VERSION,
    });
    expect(migrateQuery({ refId: 'E', queryType: 'annotations', period: '5m' }).period).toBe(300);
  });

  it('keeps state, format and value unit when set and drops them when empty', () => {
    const migrated = migrateQuery({
      refId: 'E',
      queryType: 'events',
      state: 'ongoing',
      eventsFormat: 'count',
      valueUnit: '',
    });
    expect(migrated).toMatchObject({ state: 'ongoing', eventsFormat: 'count' });
    expect('valueUnit' in migrated).toBe(false);
    expect(migrateQuery({ refId: 'M', valueUnit: 'perMinute' }).valueUnit).toBe('perMinute');
  });

  it('drops the call-rate type only from annotations the version 1 editor saved', () => {
    const v1 = { refId: 'Anno', queryType: 'annotations', insightType: 'ApiCallRateInsight', modelVersion: 1 };
    expect(migrateQuery(v1).insightType).toBeUndefined();
    expect(migrateQuery(v1).modelVersion).toBe(QUERY_MODEL_VERSION);
    expect(migrateQuery({ ...v1, insightType: 'ApiErrorRateInsight' }).insightType).toBe('ApiErrorRateInsight');
    expect(migrateQuery({ ...v1, modelVersion: undefined }).insightType).toBe('ApiCallRateInsight');
    expect(migrateQuery({ ...v1, queryType: 'events' }).insightType).toBe('ApiCallRateInsight');
  });
});

describe('migrateQuery: hand-written and legacy fields', () => {
  it('reads numbers written in YAML as text, trims every text field, and names query A when unnamed', () => {
    const migrated = migrateQuery({
      eventSource: ' s3.amazonaws.com ',
      eventName: ' GetObject ',
      errorCode: 403,
      region: ' eu-west-1 ',
      legendFormat: 2026,
    });
    expect(migrated).toEqual({
      refId: 'A',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      insightType: 'ApiCallRateInsight',
      errorCode: '403',
      region: 'eu-west-1',
      legendFormat: '2026',
      period: 'auto',
      dataType: 'FillWithZeros',
      modelVersion: QUERY_MODEL_VERSION,
    });
    expect(migrateQuery({ refId: 7 } as Record<string, unknown>).refId).toBe('7');
  });

  it('maps a legacy metric and type to the insight type, and drops the legacy keys', () => {
    const annotation = (saved: Record<string, unknown>) =>
      migrateQuery({ refId: 'L', queryType: 'annotations', ...saved });
    expect(annotation({ metric: 'calls' })).toEqual({
      refId: 'L',
      queryType: 'annotations',
      eventSource: '',
      eventName: '',
      insightType: 'ApiCallRateInsight',
      modelVersion: QUERY_MODEL_VERSION,
    });
    expect(annotation({ metric: 'errors' }).insightType).toBe('ApiErrorRateInsight');
    expect(annotation({ metric: 'other' }).insightType).toBeUndefined();
    const typed = migrateQuery({ refId: 'T', type: 'ApiErrorRateInsight' });
    expect(typed.insightType).toBe('ApiErrorRateInsight');
    expect('type' in typed).toBe(false);
  });

  it('keeps a data type an events query carries', () => {
    expect(migrateQuery({ refId: 'E', queryType: 'events', dataType: 'NonZeroData' }).dataType).toBe('NonZeroData');
  });

  it('reads a null period (YAML `period:` left empty) as auto', () => {
    expect(migratePeriod(null)).toBe('auto');
  });
});

describe('migrateQuery: scopes (model version 3)', () => {
  it('reads a trail saved without a scope as the data-event scope of that trail', () => {
    for (const queryType of ['metrics', 'events', 'annotations']) {
      expect(migrateQuery({ refId: 'T', queryType, trailName: ' data-events ' })).toMatchObject({
        eventCategory: 'data',
        trailName: 'data-events',
        modelVersion: 3,
      });
    }
  });

  it('keeps a saved scope, and adds none without a trail', () => {
    expect(migrateQuery({ refId: 'T', eventCategory: 'management' }).eventCategory).toBe('management');
    // Kept as saved, so that validation names the contradiction rather than migration hiding it.
    expect(migrateQuery({ refId: 'T', eventCategory: 'management', trailName: 'x1y' }).eventCategory).toBe(
      'management'
    );
    expect(migrateQuery({ refId: 'T', eventCategory: 'data' }).eventCategory).toBe('data');
    expect(migrateQuery({ refId: 'T', trailName: '' })).not.toHaveProperty('eventCategory');
    expect(migrateQuery({ refId: 'T', eventCategory: '' })).not.toHaveProperty('eventCategory');
  });
});
