// The CLI as the compose stack and the Go harness run it: a real child process, flags and SIM_* env,
// the ready line on stdout, and a clean exit on SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { DescribeTrailsCommand, GetInsightSelectorsCommand, ListInsightsDataCommand } from '@aws-sdk/client-cloudtrail';
import { cloudTrail, errorOf } from './testSupport';
import type { RunningSimulator } from './types';

const root = path.resolve(__dirname, '..');

function launch(
  args: string[],
  env: Record<string, string> = {}
): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(__dirname, 'cli.ts'), ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
    }
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /CloudTrail simulator listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator exited early with ${code}: ${out}`)));
  });
}

const asSim = (url: string) => ({ url }) as RunningSimulator;
const exitCode = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

test('flags: binds loopback on the given port, applies faults, stops on SIGTERM', async () => {
  const { child, url } = await launch(['--port', '0', '--seed', 'cli', '--insights-disabled', '--quiet']);
  try {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await cloudTrail(asSim(url)).send(new DescribeTrailsCommand({}))).trailList?.[0].HasInsightSelectors).toBe(
      false
    );
    expect(
      (await errorOf(cloudTrail(asSim(url)).send(new GetInsightSelectorsCommand({ TrailName: 'management-events' }))))
        .name
    ).toBe('InsightNotEnabledException');
  } finally {
    const exited = exitCode(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
}, 20_000);

test('SIM_* environment variables: credentials and throttle-all', async () => {
  const { child, url } = await launch(['--port', '0'], {
    SIM_CREDENTIALS: 'AKIACLI:cli-secret:123412341234',
    SIM_THROTTLE_ALL: '1',
    SIM_QUIET: '1',
  });
  try {
    const wrong = await errorOf(
      cloudTrail(asSim(url), { credentials: { accessKeyId: 'AKIACLI', secretAccessKey: 'other' } }).send(
        new DescribeTrailsCommand({})
      )
    );
    expect(wrong.name).toBe('InvalidSignatureException');
    const throttled = await errorOf(
      cloudTrail(asSim(url), { credentials: { accessKeyId: 'AKIACLI', secretAccessKey: 'cli-secret' } }).send(
        new DescribeTrailsCommand({})
      )
    );
    expect(throttled.name).toBe('ThrottlingException');
  } finally {
    const exited = exitCode(child);
    child.kill('SIGTERM');
    await exited;
  }
}, 20_000);

test('--access-denied and SIM_ACCESS_DENIED: the listed operations are denied as IAM does', async () => {
  for (const [args, env] of [
    [['--access-denied', 'GetInsightSelectors'], {}],
    [[], { SIM_ACCESS_DENIED: 'GetInsightSelectors' }],
  ] as const) {
    const { child, url } = await launch(['--port', '0', '--quiet', ...args], env);
    try {
      await cloudTrail(asSim(url)).send(new DescribeTrailsCommand({}));
      const denied = await errorOf(
        cloudTrail(asSim(url)).send(new GetInsightSelectorsCommand({ TrailName: 'management-events' }))
      );
      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toMatch(/is not authorized to perform: cloudtrail:GetInsightSelectors on resource: /);
    } finally {
      const exited = exitCode(child);
      child.kill('SIGTERM');
      await exited;
    }
  }
}, 30_000);

test("--organization: a member account sees the management account's organization trail and may not read its Insights", async () => {
  const { child, url } = await launch(['--port', '0', '--quiet', '--organization', '111111111111:222222222222'], {
    SIM_CREDENTIALS: 'AKIAMEMBER:member-secret:222222222222',
  });
  try {
    const member = cloudTrail(asSim(url), {
      credentials: { accessKeyId: 'AKIAMEMBER', secretAccessKey: 'member-secret' },
    });
    const orgTrail = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail';
    expect((await member.send(new DescribeTrailsCommand({}))).trailList?.map((t) => t.TrailARN)).toContain(orgTrail);
    const refused = await errorOf(
      member.send(new ListInsightsDataCommand({ InsightSource: orgTrail, DataType: 'InsightsEvents' }))
    );
    expect(refused.name).toBe('OperationNotPermittedException');
  } finally {
    const exited = exitCode(child);
    child.kill('SIGTERM');
    await exited;
  }
}, 20_000);
