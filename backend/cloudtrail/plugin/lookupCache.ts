/**
 * The editors' lookups that are not Insights lists (DescribeTrails for the trail picker), kept
 * briefly per account, region and caller: an editor that asks on every keystroke, or a Viewer
 * calling the resource route in a loop, costs one call per TTL, not one per request. Concurrent
 * askers share one call; a failure is not kept (each new asker sees its own error).
 */
import type { Keyed } from '../core/keys';

export const DEFAULT_LOOKUP_TTL_MS = 60_000;
export const DEFAULT_MAX_LOOKUPS = 1_000;

interface Entry<T> {
  value: Promise<T>;
  expiresAtMs: number;
}

export class LookupCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    readonly ttlMs = DEFAULT_LOOKUP_TTL_MS,
    private readonly maxEntries = DEFAULT_MAX_LOOKUPS,
    private readonly now: () => number = Date.now
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value for `key`: cached (or in flight) for `ttlMs` after it was asked for, else `load()`. */
  get(key: Keyed, load: () => Promise<T>): Promise<T> {
    const nowMs = this.now();
    const entry = this.entries.get(key.id);
    if (entry && entry.expiresAtMs > nowMs) {
      return entry.value;
    }
    const value = load();
    const fresh: Entry<T> = { value, expiresAtMs: nowMs + this.ttlMs };
    this.entries.delete(key.id);
    this.entries.set(key.id, fresh);
    value.catch(() => {
      if (this.entries.get(key.id) === fresh) {
        this.entries.delete(key.id);
      }
    });
    for (const [id, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && old.expiresAtMs > nowMs) {
        break;
      }
      this.entries.delete(id);
    }
    return value;
  }
}
