// The authenticated caller, as the layers after authentication see it (STS answers, IAM denials).

export interface Caller {
  accessKeyId: string;
  accountId: string;
  region: string;
  arn: string;
  userId: string;
}
