/**
 * Resource routes for the editors (paths and shapes from src/shared/resources.ts): JSON lists of
 * { value, label, description }, `{ error }` bodies on failure, 404 for unknown paths. The lists of
 * Insights read management events' Insights, or with `trailName` that trail's data events' (a trail
 * given by ARN is read in its own region unless `region` names one, as queries are).
 */
import { QueryError, type CallContext, type CallResourceResponse } from '../../sdk/types';
import { RESOURCE_PATHS, type ResourceError, type ResourceOption } from '../../../src/shared/resources';
import { parseTrailArn } from '../../../src/shared/queryModel';
import {
  EVENT_NAME_PATTERN,
  EVENT_SOURCE_PATTERN,
  REGION_PATTERN,
  TRAIL_NAME_PATTERN,
} from '../../../src/shared/validation';
import { type CallBudget } from '../core/calls';
import { workDeadline } from '../core/deadline';
import type { ClientPool } from '../aws/clients';
import type { InsightList } from '../core/insights';
import { countOptions, insightListRequest, insightOptions } from '../insights/insightOptions';
import { AWS_REGIONS } from '../aws/regions';
import { errorMessage } from '../../sdk/errorMessage';
import { STATUS, invalidRequest } from '../core/errors';
import { trailOptions, trailsSeenFrom, type TrailsSeen } from './trails';
import type { LookupCache } from './lookupCache';

export const RESOURCE_TIMEOUT_MS = 30_000;

export interface ResourceDeps {
  pool: ClientPool;
  /** The cached Insights list of a region: management events', or with `trail` that trail's data events'. */
  insights: (region: string, budget: CallBudget, trail?: string) => Promise<InsightList>;
  /** The clock ongoing Insights last until (default Date.now). */
  now?: () => number;
  /** Trails kept briefly per account, region and caller (plugin/lookupCache.ts); none: every request asks. */
  trails?: LookupCache<TrailsSeen>;
}

/** A JSON response: the option list of a route, or `{ error }`. */
export const jsonResponse = (status: number, body: ResourceOption[] | ResourceError): CallResourceResponse => ({
  status,
  headers: { 'Content-Type': ['application/json'] },
  body: JSON.stringify(body),
});

function param(params: URLSearchParams, name: string, pattern: RegExp, example: string): string | undefined {
  const value = params.get(name)?.trim();
  if (!value) {
    return undefined;
  }
  if (value.length > 256 || !pattern.test(value)) {
    throw invalidRequest(`Parameter ${name}="${value.slice(0, 80)}" is not valid, expected something like ${example}.`);
  }
  return value;
}

export async function handleResource(
  path: string,
  method: string,
  params: URLSearchParams,
  deps: ResourceDeps,
  ctx: Pick<CallContext, 'signal' | 'deadlineMs'>
): Promise<CallResourceResponse> {
  const route = path.replace(/^\/+|\/+$/g, '');
  if (!(Object.values(RESOURCE_PATHS) as string[]).includes(route)) {
    return jsonResponse(STATUS.unknownResource, {
      error: `Unknown resource "${route}"; available: ${Object.values(RESOURCE_PATHS).join(', ')}.`,
    });
  }
  if (method.toUpperCase() !== 'GET') {
    return jsonResponse(STATUS.wrongMethod, { error: `Resource ${route} answers GET only.` });
  }
  const deadline = workDeadline(ctx.deadlineMs, RESOURCE_TIMEOUT_MS);
  const budget: CallBudget = { signal: ctx.signal, deadlineMs: () => deadline };
  try {
    const trailName = param(
      params,
      'trailName',
      TRAIL_NAME_PATTERN,
      'data-events or arn:aws:cloudtrail:us-east-1:123456789012:trail/data-events'
    );
    const region =
      param(params, 'region', REGION_PATTERN, 'us-east-1') ??
      parseTrailArn(trailName)?.region ??
      deps.pool.settings.defaultRegion;
    const eventSource = param(params, 'eventSource', EVENT_SOURCE_PATTERN, 'iam.amazonaws.com');
    const eventName = param(params, 'eventName', EVENT_NAME_PATTERN, 'CreateUser');
    switch (route) {
      case RESOURCE_PATHS.regions: {
        const first = deps.pool.settings.defaultRegion;
        const regions = [first, ...AWS_REGIONS.filter((r) => r !== first)];
        return jsonResponse(
          STATUS.ok,
          regions.map((r) => ({ value: r, label: r, ...(r === first ? { description: 'Default region' } : {}) }))
        );
      }
      case RESOURCE_PATHS.trails: {
        const scope = await deps.pool.scope(region, ctx.signal);
        // Joined by concurrent askers: bounded by the deadline, not by the first asker's cancellation.
        const load = () => trailsSeenFrom(deps.pool, region, deps.trails ? { deadlineMs: budget.deadlineMs } : budget);
        // Keyed by the exact caller too: a principal without cloudtrail:DescribeTrails gets its own error.
        const seen = deps.trails
          ? await deps.trails.get({ id: `${scope.account.id}|caller:${scope.caller ?? ''}|trails` }, load)
          : await load();
        return jsonResponse(STATUS.ok, trailOptions(seen, region));
      }
    }
    // Checked before any call, so bad input costs no LookupEvents page.
    const nowMs = (deps.now ?? Date.now)();
    const listRequest =
      route === RESOURCE_PATHS.insights ? insightListRequest(params, { eventSource, eventName }, nowMs) : undefined;
    const { insights } = await deps.insights(region, budget, trailName);
    if (listRequest) {
      return jsonResponse(STATUS.ok, insightOptions(insights, listRequest, nowMs));
    }
    const inSource = insights.filter((i) => !eventSource || i.eventSource === eventSource);
    switch (route) {
      case RESOURCE_PATHS.eventSources:
        return jsonResponse(
          STATUS.ok,
          countOptions(insights, (i) => i.eventSource)
        );
      case RESOURCE_PATHS.eventNames:
        return jsonResponse(
          STATUS.ok,
          countOptions(inSource, (i) => i.eventName)
        );
      default: {
        const inName = inSource.filter((i) => !eventName || i.eventName === eventName);
        return jsonResponse(
          STATUS.ok,
          countOptions(inName, (i) => (i.insightType === 'ApiErrorRateInsight' ? i.errorCode : undefined))
        );
      }
    }
  } catch (err) {
    if (err instanceof QueryError) {
      return jsonResponse(err.status, { error: err.message });
    }
    return jsonResponse(STATUS.internal, { error: `The resource request failed: ${errorMessage(err)}` });
  }
}
