// The event sources, event names and error codes the simulator generates data for. Management-event
// call-rate Insights only count write management events, so those call-rate templates are write APIs;
// error-rate templates pair an API with an error code that API really returns. Data events (S3 object
// calls, Lambda invokes, DynamoDB items) are only seen by a trail that logs them: their templates are
// apart, and their series exist only on the data-event trail (see trails.ts).

export interface CallRateTemplate {
  eventSource: string;
  eventName: string;
  /** Typical calls per minute for a busy account (scaled per account). */
  typicalRate: number;
}

export interface ErrorRateTemplate extends CallRateTemplate {
  errorCode: string;
}

export const CALL_RATE_TEMPLATES: CallRateTemplate[] = [
  { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', typicalRate: 0.05 },
  { eventSource: 'iam.amazonaws.com', eventName: 'AttachRolePolicy', typicalRate: 0.2 },
  { eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', typicalRate: 0.04 },
  { eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', typicalRate: 0.1 },
  // Replaces s3 DeleteObject, a data event (on the data-event trail now), at the same index.
  { eventSource: 's3.amazonaws.com', eventName: 'PutBucketTagging', typicalRate: 2.5 },
  { eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', typicalRate: 0.8 },
  { eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', typicalRate: 0.15 },
  { eventSource: 'ec2.amazonaws.com', eventName: 'TerminateInstances', typicalRate: 0.6 },
  { eventSource: 'ec2.amazonaws.com', eventName: 'CreateTags', typicalRate: 3 },
  { eventSource: 'kms.amazonaws.com', eventName: 'CreateGrant', typicalRate: 0.4 },
  { eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', typicalRate: 6 },
  { eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionCode20150331v2', typicalRate: 0.3 },
  { eventSource: 'lambda.amazonaws.com', eventName: 'CreateFunction20150331', typicalRate: 0.05 },
  { eventSource: 'ssm.amazonaws.com', eventName: 'UpdateInstanceInformation', typicalRate: 4 },
];

export const ERROR_RATE_TEMPLATES: ErrorRateTemplate[] = [
  {
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    errorCode: 'EntityAlreadyExistsException',
    typicalRate: 0.01,
  },
  { eventSource: 'iam.amazonaws.com', eventName: 'AttachRolePolicy', errorCode: 'AccessDenied', typicalRate: 0.05 },
  { eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', errorCode: 'NoSuchBucket', typicalRate: 0.02 },
  // Replaces s3 DeleteObject/AccessDenied (a data event) at the same index.
  { eventSource: 's3.amazonaws.com', eventName: 'GetBucketPolicy', errorCode: 'NoSuchBucketPolicy', typicalRate: 0.3 },
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    errorCode: 'Client.UnauthorizedOperation',
    typicalRate: 0.08,
  },
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    errorCode: 'Client.InvalidPermission.Duplicate',
    typicalRate: 0.04,
  },
  { eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', errorCode: 'AccessDenied', typicalRate: 0.2 },
  { eventSource: 'kms.amazonaws.com', eventName: 'CreateGrant', errorCode: 'ValidationException', typicalRate: 0.03 },
  { eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', errorCode: 'AccessDenied', typicalRate: 0.4 },
  // Replaces lambda Invoke/ThrottlingException (a data event) at the same index.
  {
    eventSource: 'lambda.amazonaws.com',
    eventName: 'GetFunction20150331v2',
    errorCode: 'ResourceNotFoundException',
    typicalRate: 0.5,
  },
  {
    eventSource: 'lambda.amazonaws.com',
    eventName: 'UpdateFunctionCode20150331v2',
    errorCode: 'ResourceConflictException',
    typicalRate: 0.02,
  },
  { eventSource: 'ssm.amazonaws.com', eventName: 'GetParameter', errorCode: 'ThrottlingException', typicalRate: 0.6 },
];

/** Data events of the data-event trail. Data-event call-rate Insights count read and write calls. */
export const DATA_CALL_RATE_TEMPLATES: CallRateTemplate[] = [
  { eventSource: 's3.amazonaws.com', eventName: 'GetObject', typicalRate: 30 },
  { eventSource: 's3.amazonaws.com', eventName: 'PutObject', typicalRate: 8 },
  { eventSource: 's3.amazonaws.com', eventName: 'DeleteObject', typicalRate: 2.5 },
  { eventSource: 'lambda.amazonaws.com', eventName: 'Invoke', typicalRate: 15 },
  { eventSource: 'dynamodb.amazonaws.com', eventName: 'GetItem', typicalRate: 20 },
  { eventSource: 'dynamodb.amazonaws.com', eventName: 'PutItem', typicalRate: 6 },
  { eventSource: 'dynamodb.amazonaws.com', eventName: 'DeleteItem', typicalRate: 0.8 },
];

export const DATA_ERROR_RATE_TEMPLATES: ErrorRateTemplate[] = [
  { eventSource: 's3.amazonaws.com', eventName: 'GetObject', errorCode: 'AccessDenied', typicalRate: 0.3 },
  { eventSource: 's3.amazonaws.com', eventName: 'DeleteObject', errorCode: 'AccessDenied', typicalRate: 0.2 },
  { eventSource: 'lambda.amazonaws.com', eventName: 'Invoke', errorCode: 'TooManyRequestsException', typicalRate: 0.5 },
  {
    eventSource: 'dynamodb.amazonaws.com',
    eventName: 'PutItem',
    errorCode: 'ConditionalCheckFailedException',
    typicalRate: 0.4,
  },
  {
    eventSource: 'dynamodb.amazonaws.com',
    eventName: 'DeleteItem',
    errorCode: 'AccessDeniedException',
    typicalRate: 0.05,
  },
];
