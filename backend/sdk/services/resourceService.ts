/**
 * pluginv2.Resource/CallResource (server streaming). The instance sends one or more chunks
 * through a sender; a handler that throws or sends nothing still yields one HTTP-like answer.
 */
import type { ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { createCallContext } from '../callContext';
import { errorMessage } from '../errorMessage';
import type * as pb from '../gen/pluginv2_pb';
import type { InstanceManager } from '../instanceManager';
import type { Logger } from '../logger';
import { toCallResourceRequest, toPluginContext } from '../requestMapping';
import { toCallResourceResponse } from '../responseMapping';
import type { CallResourceResponse, ResourceResponseSender } from '../types';

const JSON_HEADERS = { 'Content-Type': ['application/json'] };

function jsonError(status: number, message: string): CallResourceResponse {
  return { status, headers: JSON_HEADERS, body: JSON.stringify({ message }) };
}

function streamSender(call: ServerWritableStream<pb.CallResourceRequest, pb.CallResourceResponse>) {
  let sent = 0;
  const sender: ResourceResponseSender = {
    send: (response) =>
      new Promise<void>((resolve) => {
        sent++;
        if (call.write(toCallResourceResponse(response))) {
          resolve();
        } else {
          call.once('drain', () => resolve());
        }
      }),
  };
  return { sender, sentCount: () => sent };
}

export function resourceService(instances: InstanceManager, log: Logger): UntypedServiceImplementation {
  const callResource = async (call: ServerWritableStream<pb.CallResourceRequest, pb.CallResourceResponse>) => {
    const { ctx, done } = createCallContext(call);
    const { sender, sentCount } = streamSender(call);
    try {
      const pluginContext = toPluginContext(call.request.pluginContext);
      const request = toCallResourceRequest(call.request, pluginContext);
      await instances.use(pluginContext, async (instance) => {
        if (!instance.callResource) {
          await sender.send(jsonError(404, `no resource handler for "${request.path}"`));
        } else {
          await instance.callResource(request, sender, ctx);
          if (sentCount() === 0) {
            await sender.send(jsonError(500, `the resource handler for "${request.path}" sent no response`));
          }
        }
      });
    } catch (error) {
      log.error('CallResource failed', { path: call.request.path, error });
      if (sentCount() === 0) {
        await sender.send(jsonError(500, errorMessage(error)));
      }
    } finally {
      done();
      call.end();
    }
  };
  return {
    callResource: (call: ServerWritableStream<pb.CallResourceRequest, pb.CallResourceResponse>) => {
      void callResource(call);
    },
  };
}
