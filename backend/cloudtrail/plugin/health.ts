/**
 * "Save & test": checks settings, the server's auth policy, the credentials (DescribeTrails), that
 * Insights is enabled on at least one trail (GetInsightSelectors, per trail the event categories and
 * types turned on) in the default region, and the permissions queries need (cloudtrail:LookupEvents
 * covers ListInsightsMetricData; cloudtrail:ListInsightsData, for trails with data-event Insights,
 * only warned about since management events do not need it).
 * Answers OK with a one-line summary or ERROR saying what to fix. Never throws.
 */
import type { Coordination } from '../coordination/types';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { HealthStatus, QueryError, type CallContext, type CheckHealthResult } from '../../sdk/types';
import { awsCall } from '../aws/awsCall';
import { type CallBudget } from '../core/calls';
import { AwsCallError } from '../aws/awsFailures';
import { workDeadline } from '../core/deadline';
import type { ClientPool } from '../aws/clients';
import { errorMessage } from '../../sdk/errorMessage';
import { stoppedMessage } from '../core/errors';
import { dataInsightsProblem, describeSelectors, trailsSeenFrom } from './trails';
import { NOT_FORWARDED, type AuthPolicy } from '../aws/settings';
import { describeOperatorSettings } from './operatorSettings';

export const HEALTH_TIMEOUT_MS = 15_000;

const error = (message: string, details?: Record<string, unknown>): CheckHealthResult => ({
  status: HealthStatus.Error,
  message,
  ...(details ? { jsonDetails: details } : {}),
});

export async function checkHealth(
  pool: ClientPool,
  ctx: Pick<CallContext, 'signal' | 'deadlineMs'>
): Promise<CheckHealthResult> {
  const region = pool.settings.defaultRegion;
  const deadline = workDeadline(ctx.deadlineMs, HEALTH_TIMEOUT_MS);
  const budget: CallBudget = { signal: ctx.signal, deadlineMs: () => deadline };
  try {
    const { trails, checked } = await trailsSeenFrom(pool, region, budget);
    if (trails.length === 0) {
      return error(
        `Credentials work, but there is no trail in ${region}: create a trail and enable Insights events on it, or pick the region that has one.`,
        { region }
      );
    }
    const enabled = checked
      .filter((t) => t.selectors.length > 0)
      .map((t) => ({ name: t.name, arn: t.arn, homeRegion: t.homeRegion, selectors: t.selectors }));
    const details = { region, trails: trails.map((t) => t.Name), insightsEnabledOn: enabled };
    const trailCount = `${trails.length} trail${trails.length === 1 ? '' : 's'} in ${region}`;
    if (enabled.length === 0) {
      return error(
        `${trailCount}, but Insights is not enabled on any of them: enable Insights events (API call rate and/or API error rate) on a trail in the CloudTrail console.`,
        details
      );
    }
    // Queries call ListInsightsMetricData, authorized by cloudtrail:LookupEvents: check it now
    // rather than let every panel fail later.
    await awsCall(
      await pool.scope(region, budget.signal),
      'LookupEvents',
      (signal) =>
        pool.cloudTrailClient(region).send(
          new LookupEventsCommand({
            EventCategory: 'insight',
            StartTime: new Date(Date.now() - 3_600_000),
            MaxResults: 1,
          }),
          { abortSignal: signal }
        ),
      budget,
      { pacing: pool.pacing, maxAttempts: 3 }
    );
    const summary = enabled.map((e) => `${e.name} (${describeSelectors(e.selectors)})`).join('; ');
    const dataProblem = await dataInsightsProblem(pool, checked, budget);
    return {
      status: HealthStatus.Ok,
      message: `${trailCount}, Insights enabled on ${summary}${dataProblem ? `; ${dataProblem}` : ''}`,
      jsonDetails: dataProblem ? { ...details, dataEvents: dataProblem } : details,
    };
  } catch (err) {
    if (ctx.signal.aborted) {
      return error(stoppedMessage('The health check'));
    }
    const message = err instanceof QueryError ? err.message : `Health check failed: ${errorMessage(err)}`;
    return error(message, { region, ...(err instanceof AwsCallError ? { operation: err.operation } : {}) });
  }
}

/** The health answer with the coordination's line ("shared quota and cache: Redis at … reachable"). */
export async function withCoordinationLine(
  result: CheckHealthResult,
  coordination: Coordination
): Promise<CheckHealthResult> {
  const line = await coordination.describe();
  if (!line) {
    return result;
  }
  const details = result.jsonDetails ?? {};
  return { ...result, message: `${result.message}; ${line}`, jsonDetails: { ...details, coordination: line } };
}

/**
 * The health answer with what governs this data source, in its details (Grafana shows
 * `details.message` under the result and `details.verboseMessage` behind "Details"):
 * - when no `[aws]` setting reached the plugin, `message` says so and names
 *   `[aws] forward_settings_to_plugins` and the plugin id (the admin's restrictions do not hold);
 * - `settings`: every operator setting with the value in force and where it came from (grafana.ini,
 *   a CLOUDTRAIL_* variable or the default), secrets withheld; `verboseMessage` lists them too;
 * - `awsPolicy`: the [aws] policy in force.
 */
export function withGovernanceDetails(
  result: CheckHealthResult,
  policy: AuthPolicy,
  env: NodeJS.ProcessEnv
): CheckHealthResult {
  const settings = describeOperatorSettings(env);
  const lines = Object.entries(settings).map(
    ([key, s]) => `${key} = ${s.value} (${s.from === 'default' ? 'default' : `from ${s.from}`})`
  );
  return {
    ...result,
    jsonDetails: {
      ...(result.jsonDetails ?? {}),
      ...(policy.forwarded ? {} : { message: NOT_FORWARDED }),
      awsPolicy: {
        forwarded: policy.forwarded,
        allowedAuthProviders: policy.allowedAuthProviders,
        assumeRoleEnabled: policy.assumeRoleEnabled,
        sessionDurationSeconds: policy.sessionDurationSeconds,
      },
      settings,
      verboseMessage: `Plugin settings in force ([plugin.trailwatch-cloudtrailinsights-datasource] of grafana.ini, or CLOUDTRAIL_* variables):\n${lines.join('\n')}`,
    },
  };
}
