/**
 * Redis key names. The key's id (account id, region, operation or series fields) is hashed: a
 * key never spells out anything about who calls, even if a future id carried more than it should.
 * The hash sits in braces (a Redis Cluster hash tag), so the keys one script touches share a slot.
 */
import { createHash } from 'node:crypto';
import type { Keyed } from '../types';

export type KeyKind = 'quota' | 'series' | 'lock' | 'tracked' | 'lease' | 'insights';

export function redisKey(prefix: string, kind: KeyKind, key: Keyed): string {
  const digest = createHash('sha256').update(key.id).digest('base64url').slice(0, 32);
  return `${prefix}${kind}:{${digest}}`;
}
