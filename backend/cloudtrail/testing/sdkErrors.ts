// AWS SDK errors as the SDK builds them, for tests of how they are sorted and worded.
import { CloudTrailServiceException } from '@aws-sdk/client-cloudtrail';

/** A service error answered by CloudTrail (a 5xx is a server fault). */
export const serviceError = (name: string, status: number, message = `${name} message`) =>
  new CloudTrailServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });

/** What the SDK throws for a body it cannot parse: its hint appended, the raw response hidden. */
export function deserializationError(error: Error, status: number): Error {
  error.message +=
    '\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';
  Object.defineProperty(error, '$response', { value: { statusCode: status }, enumerable: false });
  return Object.assign(error, { $metadata: { httpStatusCode: status } });
}
