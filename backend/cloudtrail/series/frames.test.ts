import { seriesFrame, type SeriesFrameInput } from './frames';

const input = (over: Partial<SeriesFrameInput>): SeriesFrameInput => ({
  refId: 'A',
  labels: {
    region: 'us-east-1',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    insightType: 'ApiCallRateInsight',
  },
  displayName: 'CreateUser',
  periodSeconds: 300,
  points: { timestamps: [0, 300_000], values: [10, 25] },
  executedQueryString: '',
  notices: [],
  stats: [],
  ...over,
});

test('per period (default) keeps the API counts; per minute divides by period / 60 and says so', () => {
  const perPeriod = seriesFrame(input({})).fields[1];
  expect(perPeriod.values).toEqual([10, 25]);
  expect(perPeriod.config).toMatchObject({ unit: 'short', description: 'Number of API calls in each 300 s period' });
  const perMinute = seriesFrame(input({ valueUnit: 'perMinute' })).fields[1];
  expect(perMinute.values).toEqual([2, 5]);
  expect(perMinute.config).toMatchObject({ unit: 'cpm', description: expect.stringContaining('per minute') });
  // At 1 hour the same rate reads the same per minute.
  const hourly = seriesFrame(
    input({ valueUnit: 'perMinute', periodSeconds: 3600, points: { timestamps: [0], values: [120] } })
  );
  expect(hourly.fields[1].values).toEqual([2]);
});
