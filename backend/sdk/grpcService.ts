/**
 * Turns protobuf-es service descriptors into grpc-js service definitions, so the rest of
 * the SDK works with generated message types and never with hand-written (de)serialisers.
 */
import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type DescService,
  type MessageShape,
} from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

/** A Buffer over the same memory: `Buffer.from(bytes)` would copy a whole (large) response once more. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function methodDefinition<I extends DescMessage, O extends DescMessage>(
  serviceTypeName: string,
  name: string,
  kind: string,
  input: I,
  output: O
): MethodDefinition<MessageShape<I>, MessageShape<O>> {
  return {
    path: `/${serviceTypeName}/${name}`,
    requestStream: kind === 'client_streaming' || kind === 'bidi_streaming',
    responseStream: kind === 'server_streaming' || kind === 'bidi_streaming',
    requestSerialize: (value) => asBuffer(toBinary(input, value)),
    requestDeserialize: (bytes) => fromBinary(input, bytes),
    responseSerialize: (value) => asBuffer(toBinary(output, value)),
    responseDeserialize: (bytes) => fromBinary(output, bytes),
  };
}

/** A grpc-js ServiceDefinition keyed by the methods' localName (e.g. `queryData`). */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    definition[method.localName] = methodDefinition(
      service.typeName,
      method.name,
      method.methodKind,
      method.input,
      method.output
    ) as MethodDefinition<unknown, unknown>;
  }
  return definition as ServiceDefinition;
}

/** Builds a message of a schema; re-exported so callers need not import protobuf-es. */
export { create };
