/**
 * Builds the CallContext for one gRPC call: an AbortSignal that fires when the client cancels
 * (or the deadline passes) and the deadline in epoch ms. Calls without a deadline get
 * DEFAULT_REQUEST_TIMEOUT_MS (30 s, env PLUGIN_REQUEST_TIMEOUT_MS overrides) so that no request
 * can hang forever.
 */
import type { ServerUnaryCall } from '@grpc/grpc-js';
import type { CallContext } from './types';

/** The parts of a grpc-js server call (unary or streaming) that carry cancellation. */
export type CancellableCall = Pick<ServerUnaryCall<unknown, unknown>, 'getDeadline' | 'on' | 'removeListener'>;

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

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
  const timer = setTimeout(
    () => controller.abort(new Error('request deadline exceeded')),
    Math.max(0, deadlineMs - now)
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
