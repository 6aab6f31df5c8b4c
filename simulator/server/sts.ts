// A minimal STS endpoint (awsQuery protocol: form-encoded Action=..., XML answers shaped as the real
// STS) so assume-role authentication can be tested locally. AssumeRole issues temporary credentials
// that the simulator then accepts for CloudTrail calls (session token required).
import { randomBytes } from 'node:crypto';
import { ApiError } from '../protocol/errors';
import { trustPolicyDenied } from '../behaviour/accessDenied';
import { STS_OPERATIONS } from '../protocol/operationNames';
import type { Caller } from '../protocol/caller';
import type { Authenticator } from './auth';

const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

const validation = (message: string) => new ApiError('ValidationError', message, 400, '', 'ValidationError', 400);

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!
  );
}

function randomKey(prefix: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(length);
  return prefix + Array.from(bytes, (b) => alphabet[b % 32]).join('');
}

export function stsAction(params: URLSearchParams): string | undefined {
  const action = params.get('Action') ?? undefined;
  return action !== undefined && STS_OPERATIONS.includes(action) ? action : undefined;
}

export function runSts(
  action: string,
  params: URLSearchParams,
  caller: Caller,
  auth: Authenticator,
  nowMs: number,
  requestId: string
): string {
  const body = action === 'AssumeRole' ? assumeRole(params, caller, auth, nowMs) : getCallerIdentity(caller);
  return (
    `<${action}Response xmlns="${STS_XMLNS}">\n  <${action}Result>\n${body}  </${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`
  );
}

function getCallerIdentity(caller: Caller): string {
  return `    <Arn>${escapeXml(caller.arn)}</Arn>\n    <UserId>${escapeXml(caller.userId)}</UserId>\n    <Account>${caller.accountId}</Account>\n`;
}

function assumeRole(params: URLSearchParams, caller: Caller, auth: Authenticator, nowMs: number): string {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  if (!roleArn) {
    throw validation(
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null"
    );
  }
  if (!sessionName) {
    throw validation(
      "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"
    );
  }
  if (!SESSION_NAME_PATTERN.test(sessionName)) {
    throw validation(
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64`
    );
  }
  const role = ROLE_ARN_PATTERN.exec(roleArn);
  if (!role || roleArn.length > 2048) {
    throw validation(`${roleArn} is invalid`);
  }
  const durationSeconds = Number(params.get('DurationSeconds') ?? 3600);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43200) {
    throw validation(
      `1 validation error detected: Value '${params.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`
    );
  }
  const required = auth.requiredExternalId(roleArn);
  if (required !== undefined && params.get('ExternalId') !== required) {
    throw trustPolicyDenied(caller, roleArn);
  }
  const [, accountId, , roleName] = role;
  const roleId = randomKey('AROA', 17);
  const credential = {
    accessKeyId: randomKey('ASIA', 16),
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `FwoGZXIvYXdzE${randomBytes(96).toString('base64')}`,
    expirationMs: nowMs + durationSeconds * 1000,
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    userId: `${roleId}:${sessionName}`,
  };
  auth.registerTemporary(credential);
  const expiration = new Date(credential.expirationMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `    <AssumedRoleUser>\n      <Arn>${escapeXml(credential.arn)}</Arn>\n      <AssumedRoleId>${escapeXml(credential.userId)}</AssumedRoleId>\n    </AssumedRoleUser>\n` +
    `    <Credentials>\n      <AccessKeyId>${credential.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${escapeXml(credential.secretAccessKey)}</SecretAccessKey>\n` +
    `      <SessionToken>${escapeXml(credential.sessionToken)}</SessionToken>\n      <Expiration>${expiration}</Expiration>\n    </Credentials>\n`
  );
}

export function stsErrorXml(error: ApiError, requestId: string): { status: number; xml: string } {
  const code = error.queryCode ?? error.code;
  const type = (error.queryStatus ?? error.status) >= 500 ? 'Receiver' : 'Sender';
  return {
    status: error.queryStatus ?? error.status,
    xml:
      `<ErrorResponse xmlns="${STS_XMLNS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(code)}</Code>\n` +
      `    <Message>${escapeXml(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
  };
}
