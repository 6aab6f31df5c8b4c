/**
 * Where a series answer came from, and how the query inspector says so: one table, so the values
 * and their wording are read together.
 */
export const ANSWER_SOURCES = {
  /** This process's cache answered it whole, fresh enough. */
  cache: { noCall: 'served from cache', cacheHit: true },
  /** A call fetched the missing buckets; the rest came from the cache. */
  partial: { noCall: undefined, cacheHit: false },
  /** A call of its own fetched it. */
  fetched: { noCall: undefined, cacheHit: false },
  /** It joined a call another query of this process had started. */
  coalesced: { noCall: 'shared with a concurrent query', cacheHit: true },
  /** Its deadline came before its turn under the quota: what was cached, the rest still loading. */
  loading: { noCall: 'still waiting for its turn under the quota', cacheHit: false },
  /** Another replica's call filled the cache all replicas read (Redis). */
  replicated: { noCall: 'served from the cache shared by all replicas', cacheHit: true },
} as const satisfies Record<string, { noCall: string | undefined; cacheHit: boolean }>;

export type AnswerSource = keyof typeof ANSWER_SOURCES;
