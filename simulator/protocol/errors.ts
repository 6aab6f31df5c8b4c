// AWS-shaped errors. One class carries the wire code, HTTP status and message; each protocol
// (awsJson1_1 for CloudTrail, awsQuery for STS) renders it in its own envelope.

export const CLOUDTRAIL_NAMESPACE = 'com.amazonaws.cloudtrail.v20131101';
/** Namespace AWS front ends use for protocol-level errors (auth, unknown operation, bad JSON). */
export const CORAL_NAMESPACE = 'com.amazon.coral.service';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** '' = no namespace prefix in `__type` (as CloudTrail's throttling answer has). */
    readonly namespace: string = CLOUDTRAIL_NAMESPACE,
    /** The code STS (awsQuery) uses for the same condition, if it differs. */
    readonly queryCode?: string,
    readonly queryStatus?: number
  ) {
    super(message);
  }
}

export const invalidParameter = (message: string) => new ApiError('InvalidParameterException', message);

export const throttling = () => new ApiError('ThrottlingException', 'Rate exceeded', 400, '', 'Throttling', 400);

export const internalFailure = () =>
  new ApiError(
    'InternalFailure',
    'The request processing has failed because of an unknown error, exception or failure.',
    500,
    CORAL_NAMESPACE,
    'InternalFailure',
    500
  );

export const unknownOperation = (target: string) =>
  new ApiError(
    'UnknownOperationException',
    `Unknown operation ${JSON.stringify(target)}.`,
    400,
    CORAL_NAMESPACE,
    'InvalidAction',
    400
  );

export const serialization = (message: string) => new ApiError('SerializationException', message, 400, CORAL_NAMESPACE);

export const missingAuthentication = () =>
  new ApiError(
    'MissingAuthenticationTokenException',
    'Request is missing Authentication Token',
    400,
    CORAL_NAMESPACE,
    'MissingAuthenticationToken',
    403
  );

export const incompleteSignature = (message: string) =>
  new ApiError('IncompleteSignatureException', message, 400, CORAL_NAMESPACE, 'IncompleteSignature', 400);

export const unrecognizedClient = () =>
  new ApiError(
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
    400,
    CORAL_NAMESPACE,
    'InvalidClientTokenId',
    403
  );

export const expiredToken = () =>
  new ApiError(
    'ExpiredTokenException',
    'The security token included in the request is expired',
    400,
    CORAL_NAMESPACE,
    'ExpiredToken',
    400
  );

export const invalidSignature = (message: string) =>
  new ApiError('InvalidSignatureException', message, 400, CORAL_NAMESPACE, 'SignatureDoesNotMatch', 403);

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
