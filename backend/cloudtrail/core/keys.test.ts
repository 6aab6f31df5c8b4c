import { createHash } from 'node:crypto';
import { AccountScope, InsightsListKey, QuotaKey, SeriesKey, digest } from './keys';
import type { MetricParams } from './series';

const account = (id: string, region = 'us-east-1', endpoint?: string) =>
  new AccountScope({ kind: 'account', accountId: id }, region, endpoint);
const params: MetricParams = {
  EventSource: 'iam.amazonaws.com',
  EventName: 'CreateUser',
  InsightType: 'ApiCallRateInsight',
  Period: 300,
  DataType: 'FillWithZeros',
};

test('scopes differ by account, region, endpoint and principal kind; equal inputs give equal ids', () => {
  const ids = [
    account('111111111111').id,
    account('222222222222').id,
    account('111111111111', 'eu-west-1').id,
    account('111111111111', 'us-east-1', 'http://127.0.0.1:4599').id,
    new AccountScope({ kind: 'credentials', hash: '111111111111' }, 'us-east-1').id,
  ];
  expect(new Set(ids).size).toBe(ids.length);
  expect(account('111111111111').id).toBe(account('111111111111').id);
});

test('an endpoint with user info is hashed, never spelled out', () => {
  const id = account('111111111111', 'us-east-1', 'https://user:hunter2@proxy.example').id;
  expect(id).not.toMatch(/hunter2|user|proxy/);
});

test('series keys cover every field that changes the answer and cannot be confused by separators', () => {
  const scope = account('111111111111');
  const variants: MetricParams[] = [
    params,
    { ...params, EventSource: 's3.amazonaws.com' },
    { ...params, EventName: 'DeleteUser' },
    { ...params, InsightType: 'ApiErrorRateInsight', ErrorCode: 'AccessDenied' },
    { ...params, InsightType: 'ApiErrorRateInsight', ErrorCode: 'Throttling' },
    { ...params, TrailName: 'a' },
    { ...params, Period: 60 },
    { ...params, DataType: 'NonZeroData' },
    // A field holding the separator must not collide with two fields.
    { ...params, EventName: 'CreateUser|ApiCallRateInsight' },
  ];
  const ids = variants.map((p) => new SeriesKey(scope, p).id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new SeriesKey(account('222222222222'), params).id).not.toBe(ids[0]);
});

test('quota and Insights list keys are per scope (and per operation)', () => {
  const a = account('111111111111');
  expect(new QuotaKey(a, 'LookupEvents').id).not.toBe(new QuotaKey(a, 'ListInsightsMetricData').id);
  expect(new QuotaKey(a, 'LookupEvents').id).toBe(new QuotaKey(account('111111111111'), 'LookupEvents').id);
  expect(new InsightsListKey(a).id).not.toBe(new InsightsListKey(account('111111111111', 'eu-west-1')).id);
  expect(new InsightsListKey(a).id).not.toBe(new QuotaKey(a, 'LookupEvents').id);
});

describe('ids shared with other replicas (Redis key suffixes) keep their documented form', () => {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  test('digest is the first 128 bits of SHA-256, in hex', () => {
    expect(digest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223');
    expect(digest('http://127.0.0.1:4599')).toBe(sha('http://127.0.0.1:4599').slice(0, 32));
  });

  test('an account scope: who, region and where, joined by |', () => {
    expect(account('111111111111').id).toBe('account:111111111111|us-east-1|aws');
    expect(new AccountScope({ kind: 'credentials', hash: 'abcd' }, 'eu-west-1').id).toBe(
      'credentials:abcd|eu-west-1|aws'
    );
    expect(account('111111111111', 'us-east-1', 'http://127.0.0.1:4599').id).toBe(
      `account:111111111111|us-east-1|endpoint:${sha('http://127.0.0.1:4599').slice(0, 32)}`
    );
  });

  test('credential hashes of two data sources never share a scope', () => {
    const a = new AccountScope({ kind: 'credentials', hash: 'aaaa' }, 'us-east-1');
    const b = new AccountScope({ kind: 'credentials', hash: 'bbbb' }, 'us-east-1');
    expect(a.id).not.toBe(b.id);
  });

  test('a series key: every field URI-encoded, an unset one empty', () => {
    expect(new SeriesKey(account('111111111111'), params).id).toBe(
      'account:111111111111|us-east-1|aws|series|iam.amazonaws.com|CreateUser|ApiCallRateInsight|||300|FillWithZeros'
    );
    // A trail's series is keyed by the exact caller as well (cloudtrail:ListInsightsData is per trail).
    expect(
      new SeriesKey(
        account('111111111111'),
        {
          ...params,
          InsightType: 'ApiErrorRateInsight',
          ErrorCode: 'Access|Denied',
          TrailName: 'org trail',
        },
        'arn:0123abcd'
      ).id
    ).toBe(
      'account:111111111111|us-east-1|aws|caller:arn%3A0123abcd|series|iam.amazonaws.com|CreateUser|ApiErrorRateInsight|Access%7CDenied|org%20trail|300|FillWithZeros'
    );
  });

  test("a trail's series is shared only among identical callers; other series among the account's callers", () => {
    const trail = { ...params, TrailName: 'data-events' };
    const a = account('111111111111');
    expect(new SeriesKey(a, trail, 'arn:reader').id).not.toBe(new SeriesKey(a, trail, 'arn:other').id);
    expect(new SeriesKey(a, trail, 'arn:reader').id).toBe(new SeriesKey(a, trail, 'arn:reader').id);
    expect(new SeriesKey(a, params, 'arn:reader').id).toBe(new SeriesKey(a, params, 'arn:other').id);
  });

  test('quota and Insights list keys extend their scope', () => {
    const a = account('111111111111');
    expect(new QuotaKey(a, 'ListInsightsMetricData').id).toBe(
      'account:111111111111|us-east-1|aws|quota|ListInsightsMetricData'
    );
    expect(new InsightsListKey(a).id).toBe('account:111111111111|us-east-1|aws|insights');
    // A trail's data-event Insights are a list of their own, per trail.
    expect(new InsightsListKey(a, 'arn:aws:cloudtrail:us-east-1:111111111111:trail/data events').id).toBe(
      'account:111111111111|us-east-1|aws|insights|trail|arn%3Aaws%3Acloudtrail%3Aus-east-1%3A111111111111%3Atrail%2Fdata%20events'
    );
    expect(new InsightsListKey(a, 'data-events').id).not.toBe(new InsightsListKey(a).id);
  });
});
