/**
 * Adapts an async handler to a grpc-js unary handler: builds the CallContext, and turns any
 * thrown error into a gRPC INTERNAL status instead of an unhandled rejection.
 */
import { status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { createCallContext } from '../callContext';
import { errorMessage } from '../errorMessage';
import type { Logger } from '../logger';
import type { CallContext } from '../types';

export function unary<Req, Res>(
  method: string,
  log: Logger,
  handler: (request: Req, ctx: CallContext) => Promise<Res>
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    const { ctx, done } = createCallContext(call);
    handler(call.request, ctx).then(
      (response) => {
        done();
        callback(null, response);
      },
      (error: unknown) => {
        done();
        log.error(`${method} failed`, { error });
        callback({ code: status.INTERNAL, details: `${method} failed: ${errorMessage(error)}` });
      }
    );
  };
}
