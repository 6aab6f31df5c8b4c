/**
 * The coordination of this process, from its environment (CLOUDTRAIL_REDIS_URL and friends):
 * like the rate limiter and the series cache it is process-wide, because quotas are per account.
 */
import { createCoordination } from '../coordination/coordination';
import type { CheckHealthResult } from '../../sdk/types';
import type { Coordination } from '../coordination/types';

export const sharedCoordination: Coordination = createCoordination();

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
