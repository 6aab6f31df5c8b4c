/**
 * Builds the CallContext for one gRPC call: an AbortSignal that fires when the client cancels
 * (or the deadline passes) and the deadline in epoch ms. Calls without a deadline get
 * DEFAULT_REQUEST_TIMEOUT_MS (30 s, env PLUGIN_REQUEST_TIMEOUT_MS overrides) so that no request
 * can hang forever. The signal fires slightly before the deadline (10% of the time left, at
 * most 500 ms) so that a partial answer — slow queries failed, fast ones intact — still
 * reaches the host before it gives up on the call.
 */
import type { ServerUnaryCall } from '@grpc/grpc-js';
import type { CallContext } from './types';

/** The parts of a grpc-js server call (unary or streaming) that carry cancellation. */
export type CancellableCall = Pick<ServerUnaryCall<unknown, unknown>, 'getDeadline' | 'on' | 'removeListener'>;

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEADLINE_MARGIN_MS = 500;

function defaultTimeoutMs(): number {
  const fromEnv = Number(process.env.PLUGIN_REQUEST_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_REQUEST_TIMEOUT_MS;
}

function callDeadlineMs(call: CancellableCall): number | undefined {
  const deadline = call.getDeadline();
  if (deadline instanceof Date) {
    return deadline.getTime();
  }
  return typeof deadline === 'number' && Number.isFinite(deadline) ? deadline : undefined;
}

/** Returns the context and a `done` to call when the handler finishes (clears the timer). */
export function createCallContext(call: CancellableCall, now = Date.now()): { ctx: CallContext; done: () => void } {
  const controller = new AbortController();
  const deadlineMs = callDeadlineMs(call) ?? now + defaultTimeoutMs();
  const onCancel = () => controller.abort(new Error('request cancelled by the caller'));
  call.on('cancelled', onCancel);
  const remaining = Math.max(0, deadlineMs - now);
  const timer = setTimeout(
    () => controller.abort(new Error('request deadline exceeded')),
    remaining - Math.min(DEADLINE_MARGIN_MS, remaining * 0.1)
  );
  timer.unref?.();
  return {
    ctx: { signal: controller.signal, deadlineMs },
    done: () => {
      clearTimeout(timer);
      call.removeListener('cancelled', onCancel);
    },
  };
}
