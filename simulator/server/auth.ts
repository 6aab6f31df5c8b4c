// SigV4 authentication. Every request needs an AWS4-HMAC-SHA256 Authorization header. With configured
// credentials the signature is verified by re-signing the received request with @smithy/signature-v4;
// without them any key is accepted (the demo default). Keys issued by the STS endpoint need their token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { hashString, mix32 } from '../data/hash';
import {
  expiredToken,
  incompleteSignature,
  invalidSignature,
  missingAuthentication,
  SIGNATURE_MISMATCH_MESSAGE,
  unrecognizedClient,
} from '../protocol/errors';
import type { Caller } from '../protocol/caller';
import type { SimulatorCredential, SimulatorRole } from '../types';

export interface RawRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface TemporaryCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expirationMs: number;
  accountId: string;
  arn: string;
  userId: string;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(header: string): ParsedAuthorization {
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!match) {
    throw incompleteSignature(`Authorization header must use the AWS4-HMAC-SHA256 algorithm.`);
  }
  const fields = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
  }
  for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields.get(name)) {
      throw incompleteSignature(
        `Authorization header requires '${name}' parameter. Authorization=${header.split(' ')[0]}`
      );
    }
  }
  const scope = fields.get('Credential')!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !scope[0]) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.`
    );
  }
  return {
    accessKeyId: scope[0],
    date: scope[1],
    region: scope[2],
    service: scope[3],
    signedHeaders: fields.get('SignedHeaders')!.split(';'),
    signature: fields.get('Signature')!,
  };
}

/** 12 digits derived from the access key id, stable across runs. */
export function derivedAccountId(accessKeyId: string): string {
  const h1 = hashString(accessKeyId);
  const h2 = mix32(h1 ^ 0x2545f491);
  return `${String(h1 % 1_000_000).padStart(6, '0')}${String(h2 % 1_000_000).padStart(6, '0')}`;
}

export class Authenticator {
  private readonly configured: Map<string, SimulatorCredential> | undefined;
  private readonly temporary = new Map<string, TemporaryCredential>();
  private readonly externalIds: Map<string, string>;

  constructor(
    credentials: SimulatorCredential[] | undefined,
    private readonly now: () => number,
    roles: SimulatorRole[] = []
  ) {
    this.configured = credentials ? new Map(credentials.map((c) => [c.accessKeyId, c])) : undefined;
    this.externalIds = new Map(roles.map((r) => [r.arn, r.externalId]));
  }

  /** The external id the role's trust policy requires, if any. */
  requiredExternalId(roleArn: string): string | undefined {
    return this.externalIds.get(roleArn);
  }

  registerTemporary(credential: TemporaryCredential): void {
    this.temporary.set(credential.accessKeyId, credential);
  }

  accountIdFor(accessKeyId: string): string {
    return (
      this.temporary.get(accessKeyId)?.accountId ??
      this.configured?.get(accessKeyId)?.accountId ??
      derivedAccountId(accessKeyId)
    );
  }

  /** Checks the request's signature (when keys are configured) and returns who is calling. */
  async authenticate(request: RawRequest, service: 'cloudtrail' | 'sts'): Promise<Caller> {
    const header = request.headers['authorization'];
    if (!header) {
      throw missingAuthentication();
    }
    const auth = parseAuthorization(header);
    const amzDate = request.headers['x-amz-date'];
    if (!amzDate) {
      throw incompleteSignature(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`);
    }
    if (auth.service !== service) {
      throw invalidSignature(`Credential should be scoped to correct service: '${service}'.`);
    }
    checkSkew(amzDate);
    const temporary = this.temporary.get(auth.accessKeyId);
    let secret: string | undefined;
    if (temporary) {
      if (request.headers['x-amz-security-token'] !== temporary.sessionToken) {
        throw unrecognizedClient();
      }
      if (this.now() >= temporary.expirationMs) {
        throw expiredToken();
      }
      secret = temporary.secretAccessKey;
    } else if (this.configured) {
      secret = this.configured.get(auth.accessKeyId)?.secretAccessKey;
      if (secret === undefined) {
        throw unrecognizedClient();
      }
    }
    if (this.configured && secret !== undefined) {
      await verifySignature(request, auth, amzDate, secret, temporary?.sessionToken);
    }
    const accountId = this.accountIdFor(auth.accessKeyId);
    return {
      accessKeyId: auth.accessKeyId,
      accountId,
      region: auth.region,
      arn: temporary?.arn ?? `arn:aws:iam::${accountId}:user/simulator-user`,
      userId:
        temporary?.userId ??
        `AIDA${auth.accessKeyId
          .replace(/[^A-Z0-9]/gi, '')
          .toUpperCase()
          .slice(4, 20)
          .padEnd(16, 'X')}`,
    };
  }
}

/** AWS rejects signatures dated more than 15 minutes from its clock. Real time, not the data clock:
 *  clients sign with the real time even when tests fix the simulator's data clock. */
const MAX_SKEW_MS = 15 * 60_000;

function checkSkew(amzDate: string): void {
  const signedAt = parseAmzDate(amzDate).getTime();
  const now = Date.now();
  const basic = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
  if (signedAt < now - MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${basic(now - MAX_SKEW_MS)} (${basic(now)} - 15 min.)`
    );
  }
  if (signedAt > now + MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${basic(now + MAX_SKEW_MS)} (${basic(now)} + 15 min.)`
    );
  }
}

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) {
    throw incompleteSignature(`X-Amz-Date must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z', got '${value}'.`);
  }
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

async function verifySignature(
  request: RawRequest,
  auth: ParsedAuthorization,
  amzDate: string,
  secretAccessKey: string,
  sessionToken: string | undefined
): Promise<void> {
  // The signer trusts x-amz-content-sha256 as the payload hash, so check it against the body first.
  const claimedHash = request.headers['x-amz-content-sha256'];
  if (
    claimedHash !== undefined &&
    claimedHash !== 'UNSIGNED-PAYLOAD' &&
    claimedHash !== createHash('sha256').update(request.body).digest('hex')
  ) {
    throw invalidSignature(SIGNATURE_MISMATCH_MESSAGE);
  }
  // Re-sign over exactly the client's SignedHeaders: the signer would otherwise add headers the client
  // never signed (x-amz-content-sha256 always, x-amz-security-token with a token), as aws-sdk-go-v2 shows.
  const signed = new Set(auth.signedHeaders);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: auth.accessKeyId,
      secretAccessKey,
      sessionToken: signed.has('x-amz-security-token') ? sessionToken : undefined,
    },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) {
      throw incompleteSignature(`Signed header '${name}' is missing from the request.`);
    }
    headers[name] = value;
  }
  const host = request.headers['host'] ?? '';
  const colon = host.lastIndexOf(':');
  const hasPort = colon > host.lastIndexOf(']');
  const hostname = hasPort ? host.slice(0, colon) : host;
  const port = hasPort ? host.slice(colon + 1) : '';
  const resigned = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname,
      port: port ? Number(port) : undefined,
      path: request.path,
      query: request.query,
      headers,
      body: request.body.toString('utf8'),
    },
    { signingDate: parseAmzDate(amzDate), signableHeaders: signed }
  );
  const expected =
    /Signature=([0-9a-f]+)/.exec(String(resigned.headers['authorization'] ?? resigned.headers['Authorization']))?.[1] ??
    '';
  const given = Buffer.from(auth.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    throw invalidSignature(SIGNATURE_MISMATCH_MESSAGE);
  }
}
