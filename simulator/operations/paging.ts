// Opaque, tamper-evident NextTokens. The token carries the paging state in the clear (base64url JSON)
// plus an HMAC over (operation, account, region, request parameters, state) keyed per simulator
// instance, so a token cannot be edited, replayed on another instance, or reused with other parameters.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type PageState = Record<string, number>;

export class PageTokens {
  private readonly key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.key = key;
  }

  issue(scope: string, params: unknown, state: PageState): string {
    const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${payload}.${this.mac(scope, params, payload).toString('base64url')}`;
  }

  /** The state of a valid token for this scope and these parameters, or undefined. */
  open(token: string, scope: string, params: unknown): PageState | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) {
      return undefined;
    }
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.mac(scope, params, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return undefined;
    }
    try {
      const state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return state && typeof state === 'object' ? (state as PageState) : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(scope: string, params: unknown, payload: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`${scope}\n${JSON.stringify(params)}\n${payload}`)
      .digest();
  }
}
