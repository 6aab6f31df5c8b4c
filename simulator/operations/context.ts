// What every operation handler receives: the caller's scope, the data clock and the
// simulator-wide services (world, page tokens, faults).
import type { FaultState } from '../behaviour/faults';
import type { PageTokens } from './paging';
import type { World } from '../data/world';
import type { Input } from '../protocol/validation';

export interface OperationContext {
  accountId: string;
  region: string;
  nowMs: number;
  world: World;
  tokens: PageTokens;
  faults: FaultState;
}

export type OperationHandler = (input: Input, ctx: OperationContext) => Record<string, unknown>;
