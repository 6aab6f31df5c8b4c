import { AccountScope, InsightsListKey, QuotaKey, SeriesKey } from './keys';
import type { MetricParams } from './seriesFetcher';

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
