// The NextToken after a page, for every paged operation alike — including the endlessNextToken fault.
import type { PageState } from './paging';
import type { OperationContext } from './context';

/** A token for the next page while there is one. After the last page none, unless the endlessNextToken
 *  fault is on: then a token for one more (empty) page, its `x` counting those so that each token differs. */
export function nextPageToken(
  ctx: OperationContext,
  scope: string,
  params: unknown,
  state: PageState,
  more: boolean
): string | undefined {
  if (more) {
    return ctx.tokens.issue(scope, params, state);
  }
  if (ctx.faults.flags.endlessNextToken) {
    return ctx.tokens.issue(scope, params, { ...state, x: (state.x ?? 0) + 1 });
  }
  return undefined;
}
