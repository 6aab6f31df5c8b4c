/**
 * The data-event scope through the built executable over gRPC against the simulator: a trail logging
 * S3, Lambda and DynamoDB data events with Insights on them. Its Insights are listed by
 * ListInsightsData (never LookupEvents), by the trail's name or ARN; annotations mark them; a count
 * query for an alert rule fires on an ongoing one; metrics of its data events need the trail; the
 * editor's lists and the trail picker read it; and an ErrorCode AWS would refuse is a 400 from the
 * plugin before any call.
 */
import { type EpisodeInfo } from '../../../simulator';
import { DAY_MS, seriesQuery, type DecodedFrame } from './harness';
import { stackForFile } from './stack';

jest.setTimeout(120_000);

const KEYS = { accessKeyId: 'AKIDDATAEVENTS', secretAccessKey: 'data-events-secret' };
const MIN = 60_000;

/** The simulator's data clock runs this far behind real time, so that one data-event Insight is ongoing. */
let lagMs = 0;
const stack = stackForFile({ seed: 'data-events', keys: KEYS, simulator: { now: () => Date.now() - lagMs } });
let trailArn: string;
let ongoing: EpisodeInfo;

beforeAll(() => {
  const { dataEvents } = stack.sim.catalog('us-east-1');
  trailArn = dataEvents.trailArn;
  // Put the data clock 5 minutes into the newest data-event episode that lasts at least 30 minutes.
  ongoing = dataEvents.episodes.filter((e) => e.endMs - e.startMs >= 30 * MIN && e.endMs < Date.now()).at(-1)!;
  lagMs = Date.now() - (ongoing.startMs + 5 * MIN);
});

const column = (frame: DecodedFrame, name: string) => frame.fields.find((f) => f.name === name)!;
const events = (json: Record<string, unknown>, nowMs: number, refId = 'E') => ({
  refId,
  queryType: 'events',
  json: { queryType: 'events', ...json },
  fromMs: nowMs - 90 * DAY_MS,
  toMs: nowMs,
});

test('an events query scoped to the trail (name or ARN) lists its data-event Insights through ListInsightsData only', async () => {
  const now = Date.now();
  const simNow = now - lagMs;
  const episodes = stack.sim.catalog('us-east-1').dataEvents.episodes.filter((e) => e.startMs <= simNow);
  stack.sim.resetCounts();
  const answers = await stack.plugin.query(stack.ds, [
    events({ eventCategory: 'data', trailName: 'data-events' }, now, 'BYNAME'),
    events({ eventCategory: 'data', trailName: trailArn }, now, 'BYARN'),
  ]);
  for (const refId of ['BYNAME', 'BYARN']) {
    expect(answers[refId]).toMatchObject({ status: 200, error: '' });
  }
  const [frame] = answers.BYARN.frames;
  const rows = (column(frame, 'start').values as number[]).map((start, i) => [
    start,
    column(frame, 'end').values[i],
    column(frame, 'eventSource').values[i],
    column(frame, 'eventName').values[i],
  ]);
  expect(rows).toEqual(
    [...episodes].reverse().map((e) => [e.startMs, e.endMs <= simNow ? e.endMs : null, e.eventSource, e.eventName])
  );
  expect(rows).toContainEqual([ongoing.startMs, null, ongoing.eventSource, ongoing.eventName]);
  // The same Insights by name; the trail column (linked to the trail's console page) replaces event history.
  expect(column(answers.BYNAME.frames[0], 'eventId').values).toEqual(column(frame, 'eventId').values);
  expect(frame.fields.map((f) => f.name)).not.toContain('eventHistory');
  expect(new Set(column(frame, 'trail').values)).toEqual(new Set([trailArn]));
  expect(column(frame, 'trail').config?.links[0].url).toBe(
    `https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/trails/${encodeURIComponent(trailArn)}`
  );
  expect(frame.meta?.executedQueryString).toMatch(
    new RegExp(
      `^ListInsightsData InsightSource=${trailArn.replace(/[/.]/g, '\\$&')} DataType=InsightsEvents region=us-east-1 `
    )
  );
  // Data-event Insights come from ListInsightsData (one listing per trail key, plus each key's proof
  // of access); LookupEvents runs once, when these credentials prove their account.
  const calls = stack.sim.calls();
  const pages = Math.ceil((episodes.length + episodes.filter((e) => e.endMs <= simNow).length) / 50);
  expect(calls.ListInsightsData).toBe(2 * (pages + 1));
  expect(calls.LookupEvents).toBe(1);

  // A management events query in the same region lists none of them.
  const management = await stack.plugin.query(stack.ds, [events({}, now)]);
  const sources = new Set(column(management.E.frames[0], 'eventName').values);
  expect(sources.has('GetObject') || sources.has('Invoke') || sources.has('GetItem')).toBe(false);
});

test('annotations mark the data-event Insights of the trail', async () => {
  const now = Date.now();
  const from = now - 30 * DAY_MS;
  const simNow = now - lagMs;
  const episodes = stack.sim
    .catalog('us-east-1')
    .dataEvents.episodes.filter((e) => e.startMs <= simNow && e.endMs >= from && e.startMs < now);
  const answers = await stack.plugin.query(stack.ds, [
    {
      refId: 'A',
      queryType: 'annotations',
      json: { eventCategory: 'data', trailName: trailArn },
      fromMs: from,
      toMs: now,
    },
  ]);
  expect(answers.A).toMatchObject({ status: 200, error: '' });
  const [frame] = answers.A.frames;
  expect(new Set(frame.fields[0].values)).toEqual(new Set(episodes.map((e) => e.startMs)));
  const row = (frame.fields[0].values as number[]).indexOf(ongoing.startMs);
  expect(frame.fields[2].values[row]).toBe(
    `Unusual API ${ongoing.insightType === 'ApiCallRateInsight' ? 'call' : 'error'} rate: ${ongoing.eventName}${ongoing.errorCode ? ` ${ongoing.errorCode}` : ''} (${ongoing.eventSource.split('.')[0]}) (ongoing)`
  );
  expect(String(frame.fields[3].values[row]).split('\n').at(-1)).toBe(
    `Data events of trail ${trailArn}. CloudTrail console: https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/insights (trail: https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/trails/${encodeURIComponent(trailArn)})`
  );
  expect(String(frame.fields[4].values[row]).split(',')).toContain('data events');
});

test('a count query on the trail alerts: the ongoing Insight counts 1, labelled with its series and the trail', async () => {
  const now = Date.now();
  const answers = await stack.plugin.query(
    stack.ds,
    [
      {
        refId: 'A',
        queryType: 'events',
        json: {
          queryType: 'events',
          eventCategory: 'data',
          trailName: 'data-events',
          state: 'ongoing',
          eventsFormat: 'count',
        },
        fromMs: now - 10 * MIN,
        toMs: now,
      },
    ],
    { headers: { FromAlert: 'true' } }
  );
  expect(answers.A).toMatchObject({ status: 200, error: '' });
  const counts = answers.A.frames.map((f) => [f.fields[0].labels, f.fields[0].values[0]]);
  expect(counts).toContainEqual([
    {
      region: 'us-east-1',
      eventSource: ongoing.eventSource,
      eventName: ongoing.eventName,
      insightType: ongoing.insightType,
      ...(ongoing.errorCode ? { errorCode: ongoing.errorCode } : {}),
      trailName: 'data-events',
    },
    1,
  ]);
  // Every other series of the trail answers 0: Normal, not NoData.
  expect(counts.filter(([, n]) => n === 1)).toHaveLength(1);
  expect(answers.A.frames[0].meta).toMatchObject({ type: 'numeric-multi', typeVersion: [0, 1] });
});

test('a metrics query with the trail returns the data series; without it the same series is empty', async () => {
  // The last 6 hours of the simulator's (lagging) data clock.
  const now = Date.now() - lagMs;
  const series = stack.sim.catalog('us-east-1').dataEvents.series.find((s) => s.eventName === 'GetObject')!;
  const query = (refId: string, extra: Record<string, unknown>) => ({
    refId,
    json: seriesQuery(series, { period: 300, ...extra }),
    fromMs: now - 6 * 3_600_000,
    toMs: now,
  });
  const answers = await stack.plugin.query(stack.ds, [
    query('TRAIL', { eventCategory: 'data', trailName: trailArn }),
    query('NONE', {}),
  ]);
  expect(answers.TRAIL).toMatchObject({ status: 200, error: '' });
  const [frame] = answers.TRAIL.frames;
  const values = frame.fields[1].values as number[];
  expect(values.length).toBeGreaterThan(60);
  expect(values.some((v) => v > 0)).toBe(true);
  expect(frame.fields[1].labels).toMatchObject({ eventName: 'GetObject', trailName: trailArn });
  expect(frame.meta?.executedQueryString).toContain(`TrailName=${trailArn}`);
  // Event history lists management events only: data-event series link to Insights and the trail.
  expect(frame.fields[1].config?.links.map((l: { title: string }) => l.title)).toEqual([
    'Insights in the CloudTrail console',
    'The trail in the CloudTrail console',
  ]);
  // AWS answers data-event metrics only with TrailName.
  expect((answers.NONE.frames[0].fields[1].values as number[]).every((v) => v === 0)).toBe(true);
});

test('errorCode "Access Denied!" is a 400 from the plugin itself, before any AWS call', async () => {
  const now = Date.now();
  // A data source of its own: no earlier call of these settings can have been cached.
  const ds = { ...stack.ds, uid: 'bad-error-code' };
  stack.sim.resetCounts();
  const answers = await stack.plugin.query(ds, [
    {
      refId: 'A',
      json: {
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        insightType: 'ApiErrorRateInsight',
        errorCode: 'Access Denied!',
        eventCategory: 'data',
        trailName: trailArn,
        period: 300,
        dataType: 'FillWithZeros',
      },
      fromMs: now - 3_600_000,
      toMs: now,
    },
  ]);
  expect(answers.A).toEqual({
    frames: [],
    status: 400,
    errorSource: 'plugin',
    error:
      'Error code "Access Denied!" may contain only letters, digits, spaces and _ . , - : [ ] (CloudTrail\'s pattern ^[\\w\\d\\s_.,\\-:\\[\\]]+$); "!" is not allowed. Use the code as CloudTrail reports it, e.g. AccessDenied.',
  });
  expect(stack.sim.calls()).toEqual({});
});

test("the editor's lists per scope: trails by ARN with home region and Insights per category, the trail's event sources", async () => {
  const trails = await stack.plugin.resource(stack.ds, 'trails?region=us-east-1');
  expect(trails.status).toBe(200);
  const account = stack.sim.catalog('us-east-1').accountId;
  expect(trails.body).toEqual([
    {
      value: trailArn,
      label: 'data-events',
      description: 'us-east-1 · Insights: API call rate, API error rate on management and data events',
    },
    {
      value: `arn:aws:cloudtrail:us-east-1:${account}:trail/management-events`,
      label: 'management-events',
      description: 'us-east-1 · Insights: API call rate, API error rate on management events',
    },
    {
      value: expect.stringMatching(/^arn:aws:cloudtrail:us-east-1:\d{12}:trail\/organization-trail$/),
      label: 'organization-trail',
      description: 'us-east-1 (organization trail) · Insights: API error rate on management events',
    },
  ]);
  // From another region, the multi-region organization trail is a shadow: named by ARN, described by its home region.
  const shadows = await stack.plugin.resource(stack.ds, 'trails?region=eu-west-1');
  expect(shadows.body).toContainEqual({
    value: expect.stringMatching(/^arn:aws:cloudtrail:us-east-1:\d{12}:trail\/organization-trail$/),
    label: 'organization-trail',
    description: 'us-east-1 (organization trail, shadow in eu-west-1) · Insights: API error rate on management events',
  });

  const dataSources = await stack.plugin.resource(stack.ds, `event-sources?trailName=${encodeURIComponent(trailArn)}`);
  expect(dataSources.status).toBe(200);
  const expected = new Set(stack.sim.catalog('us-east-1').dataEvents.series.map((s) => s.eventSource));
  expect(new Set(dataSources.body.map((o: { value: string }) => o.value))).toEqual(expected);
  const names = await stack.plugin.resource(
    stack.ds,
    `event-names?trailName=${encodeURIComponent(trailArn)}&eventSource=s3.amazonaws.com`
  );
  expect(names.body.map((o: { value: string }) => o.value)).toEqual(expect.arrayContaining(['GetObject']));
  const management = await stack.plugin.resource(stack.ds, 'event-sources');
  expect(management.body.map((o: { value: string }) => o.value)).not.toContain('dynamodb.amazonaws.com');
  expect(await stack.plugin.resource(stack.ds, 'event-sources?trailName=no%20such%20trail')).toMatchObject({
    status: 400,
  });
});

test('the health check lists per trail the categories and types, and warns when ListInsightsData is denied', async () => {
  // The health check looks at the last hour of real time: the data clock catches up for it (last test).
  lagMs = 0;
  const health = await stack.plugin.health(stack.ds);
  expect(health.status).toBe(1);
  expect(health.message).toBe(
    '3 trails in us-east-1, Insights enabled on management-events (ApiCallRateInsight, ApiErrorRateInsight on management events); data-events (ApiCallRateInsight, ApiErrorRateInsight on management and data events); organization-trail (ApiErrorRateInsight on management events)'
  );
  expect(health.details.insightsEnabledOn).toContainEqual({
    name: 'data-events',
    arn: trailArn,
    homeRegion: 'us-east-1',
    selectors: [
      { insightType: 'ApiCallRateInsight', eventCategories: ['management', 'data'] },
      { insightType: 'ApiErrorRateInsight', eventCategories: ['management', 'data'] },
    ],
  });
  stack.sim.setFaults({ accessDenied: { operations: ['ListInsightsData'] } });
  try {
    const denied = await stack.plugin.health(stack.ds);
    // Management events do not need it: still OK, with the action to grant for the data events scope.
    expect(denied.status).toBe(1);
    expect(denied.message).toMatch(
      /; but the data events scope \(trail data-events\) needs cloudtrail:ListInsightsData, which these credentials lack: grant it to read data-event Insights$/
    );
    const answers = await stack.plugin.query({ ...stack.ds, uid: 'denied-data' }, [
      events({ eventCategory: 'data', trailName: 'data-events' }, Date.now()),
    ]);
    expect(answers.E).toMatchObject({
      status: 403,
      errorSource: 'downstream',
      error: expect.stringMatching(
        /^Access denied for ListInsightsData: grant the IAM action cloudtrail:ListInsightsData /
      ),
    });
  } finally {
    stack.sim.setFaults({ accessDenied: false });
  }
});
