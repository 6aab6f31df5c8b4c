/**
 * The demo stack's simulator service end to end: build the bundle with the real npm script, start it
 * with the arguments docker-compose.yaml uses, and read the series the provisioned dashboard and
 * alert rules chart through the AWS SDK with the provisioned data source's keys.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { CloudTrailClient, ListInsightsMetricDataCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';

import { alertRuleGroups, dataSources } from '../provisioning/provisioningFiles';
import { REPO_DIR, composeFile, containerPathOnHost } from './composeFile';

jest.setTimeout(60_000);

let child: ChildProcess | undefined;
let endpoint = '';

beforeAll(async () => {
  execFileSync('npm', ['run', '--silent', 'build:simulator'], { cwd: REPO_DIR, stdio: 'pipe' });
  const compose = composeFile();
  const [command, bundle, ...args] = compose.services.simulator.command as string[];
  expect(command).toBe('node');
  const hostBundle = containerPathOnHost(compose, 'simulator', bundle)!;
  // Same flags as the container, but on loopback and a free port.
  const local = args.map((arg, i) => (args[i - 1] === '--port' ? '0' : args[i - 1] === '--host' ? '127.0.0.1' : arg));
  child = spawn(process.execPath, [hostBundle, ...local, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  endpoint = /(http:\/\/\S+)/.exec(line.toString())![1];
});

afterAll(() => {
  child?.kill('SIGTERM');
});

test('serves the series and Insights of every provisioned alert rule with the provisioned data source keys', async () => {
  const source = dataSources().find((d) => d.uid === 'cloudtrail-insights-sim')!;
  const client = new CloudTrailClient({
    endpoint,
    region: String(source.jsonData!.defaultRegion),
    credentials: { accessKeyId: source.secureJsonData!.accessKey, secretAccessKey: source.secureJsonData!.secretKey },
    maxAttempts: 5,
  });
  const models = alertRuleGroups().flatMap((g) =>
    g.rules.flatMap((r) => r.data.filter((d) => d.datasourceUid !== '__expr__'))
  );
  const metrics = models.filter(({ model }) => (model.queryType ?? 'metrics') === 'metrics');
  const events = models.filter(({ model }) => model.queryType === 'events');
  expect(metrics.length).toBeGreaterThan(0);
  expect(metrics.length + events.length).toBe(models.length);
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  if (events.length) {
    // Rules on Insights events read LookupEvents' Insights list: the demo data must have some.
    const insights = await client.send(new LookupEventsCommand({ EventCategory: 'insight', MaxResults: 50 }));
    expect(insights.Events?.length).toBeGreaterThan(0);
  }
  for (const { model } of metrics) {
    const answer = await client.send(
      new ListInsightsMetricDataCommand({
        EventSource: String(model.eventSource),
        EventName: String(model.eventName),
        InsightType: model.insightType as 'ApiCallRateInsight' | 'ApiErrorRateInsight',
        ErrorCode: model.errorCode as string | undefined,
        Period: Number(model.period),
        DataType: 'FillWithZeros',
        StartTime: new Date(end.getTime() - 6 * 3600_000),
        EndTime: end,
      })
    );
    expect(answer.Timestamps?.length).toBe(360);
    expect(answer.Values?.some((v) => v > 0)).toBe(true);
  }
});
