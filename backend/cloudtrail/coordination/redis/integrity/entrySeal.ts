/**
 * Every value replicas read from Redis carries a MAC over its key and its bytes: HMAC-SHA256 keyed
 * by the secret all replicas hold (REDIS_SHARED_SECRET), over the Redis key name, the key's full id
 * (the account, region and series fields the name is a hash of) and each part of the value, each
 * length-prefixed. A value moved to another key (RENAME), altered, or written by anyone without
 * the secret fails it. Without a secret the MAC is keyed by a fixed, public string: values are
 * still bound to their own key (a swap is refused) but anyone who can write to Redis can compute
 * it — hence the health check's recommendation. The secret itself goes into the HMAC key only.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Which key a value belongs to: its Redis name and the id it was hashed from. */
export interface Binding {
  name: string;
  id: string;
}

const DOMAIN = 'cloudtrail-insights/replicated-value/v1';
const UNKEYED = 'cloudtrail-insights/no-secret-configured';
export const MAC_BYTES = 32;

export class EntrySeal {
  /** true when keyed by the operator's secret (values cannot be forged without it). */
  readonly keyed: boolean;
  private readonly key: Buffer;

  constructor(secret: string | undefined) {
    this.keyed = secret !== undefined && secret !== '';
    this.key = Buffer.from(this.keyed ? `secret:${secret}` : UNKEYED, 'utf8');
  }

  /** The MAC of `parts` stored under `binding`. */
  mac(binding: Binding, ...parts: Array<string | Buffer>): Buffer {
    const hmac = createHmac('sha256', this.key);
    for (const part of [DOMAIN, binding.name, binding.id, ...parts]) {
      const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      const length = Buffer.alloc(8);
      length.writeBigUInt64BE(BigInt(bytes.length));
      hmac.update(length).update(bytes);
    }
    return hmac.digest();
  }

  /** true when `mac` is the MAC of `parts` under `binding` (compared in constant time). */
  verify(binding: Binding, mac: Buffer, ...parts: Array<string | Buffer>): boolean {
    return mac.length === MAC_BYTES && timingSafeEqual(mac, this.mac(binding, ...parts));
  }

  /** `text` prefixed with its MAC (base64url, 43 characters) and a dot: for string values. */
  sealText(binding: Binding, text: string): string {
    return `${this.mac(binding, text).toString('base64url')}.${text}`;
  }

  /** The text of a value made by sealText, or why it is not one. */
  openText(binding: Binding, value: string): { text: string } | { refused: 'unsigned' | 'forged' } {
    const dot = value.indexOf('.');
    const mac = dot === 43 ? Buffer.from(value.slice(0, dot), 'base64url') : undefined;
    if (!mac || mac.length !== MAC_BYTES) {
      return { refused: 'unsigned' };
    }
    const text = value.slice(dot + 1);
    return this.verify(binding, mac, text) ? { text } : { refused: 'forged' };
  }
}
