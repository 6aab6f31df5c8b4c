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
