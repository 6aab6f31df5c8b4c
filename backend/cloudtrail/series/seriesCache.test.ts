import { ENTRY_OVERHEAD_POINTS, SeriesCache, overlay, slice } from './seriesCache';

const key = (id: string) => ({ id });

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
/** Points every minute in [from, to) with value = minute index. */
const points = (from: number, to: number) => {
  const timestamps: number[] = [];
  for (let t = from; t < to; t += MIN) {
    timestamps.push(t);
  }
  return { timestamps, values: timestamps.map((t) => (t - T0) / MIN) };
};

test('a fresh entry serves any range inside it; outside ranges miss', () => {
  const cache = new SeriesCache();
  cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 60 * MIN }, T0 + 59.5 * MIN, points(T0, T0 + 59 * MIN));
  const hit = cache.lookup(key('s'), { startMs: T0 + 10 * MIN, endMs: T0 + 60 * MIN }, T0 + 59.6 * MIN);
  expect(hit).toMatchObject({ hit: true, completeUntilMs: T0 + 59 * MIN });
  expect(hit.hit && hit.points.timestamps.length).toBe(49);
  expect(cache.lookup(key('other'), { startMs: T0, endMs: T0 + MIN }, T0)).toMatchObject({
    hit: false,
    partial: false,
  });
  expect(cache.lookup(key('s'), { startMs: T0 - 60 * MIN, endMs: T0 - 30 * MIN }, T0 + 59.6 * MIN)).toMatchObject({
    hit: false,
    partial: false,
  });
});

test('after the freshness window only the newest (partial) bucket and the new tail are fetched', () => {
  const cache = new SeriesCache({ freshnessMs: 60_000 });
  const fetchedAt = T0 + 59.5 * MIN;
  cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 60 * MIN }, fetchedAt, points(T0, T0 + 59 * MIN));
  const now = fetchedAt + 2 * MIN;
  const look = cache.lookup(key('s'), { startMs: T0 + 2 * MIN, endMs: T0 + 62 * MIN }, now);
  expect(look).toMatchObject({ hit: false, partial: true, missing: { startMs: T0 + 59 * MIN, endMs: T0 + 62 * MIN } });
  expect(!look.hit && look.cached.timestamps.length).toBe(57);
  // The tail arrives; the entry grows and serves the whole range again.
  cache.store(
    key('s'),
    60,
    { startMs: T0 + 59 * MIN, endMs: T0 + 62 * MIN },
    now,
    points(T0 + 59 * MIN, T0 + 61 * MIN)
  );
  const after = cache.lookup(key('s'), { startMs: T0, endMs: T0 + 62 * MIN }, now + 1000);
  expect(after.hit && after.points.timestamps.length).toBe(61);
});

test('the freshness window is capped by the period and applies to every caller', () => {
  const cache = new SeriesCache({ freshnessMs: 10 * MIN });
  cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 60 * MIN }, T0 + 59.5 * MIN, points(T0, T0 + 59 * MIN));
  // 10 minutes asked, but a 60 s period caps the window at 60 s.
  expect(cache.lookup(key('s'), { startMs: T0, endMs: T0 + 60 * MIN }, T0 + 59.5 * MIN + 61_000).hit).toBe(false);
});

test('a request starting earlier fetches the head in one call covering the gap', () => {
  const cache = new SeriesCache();
  cache.store(
    key('s'),
    60,
    { startMs: T0 + 30 * MIN, endMs: T0 + 60 * MIN },
    T0 + 90 * MIN,
    points(T0 + 30 * MIN, T0 + 60 * MIN)
  );
  const look = cache.lookup(key('s'), { startMs: T0, endMs: T0 + 60 * MIN }, T0 + 90 * MIN);
  expect(look).toMatchObject({ hit: false, partial: true, missing: { startMs: T0, endMs: T0 + 30 * MIN } });
});

test('memory is bounded by total points plus a per-series overhead, least recently used first', () => {
  const maxPoints = 80 + 2 * ENTRY_OVERHEAD_POINTS; // room for two series of 40 points
  const cache = new SeriesCache({ maxPoints });
  cache.store(key('a'), 60, { startMs: T0, endMs: T0 + 40 * MIN }, T0 + 100 * MIN, points(T0, T0 + 40 * MIN));
  cache.store(key('b'), 60, { startMs: T0, endMs: T0 + 40 * MIN }, T0 + 100 * MIN, points(T0, T0 + 40 * MIN));
  // a is now the most recent (asked whole: a part would keep a copy, which counts too).
  cache.lookup(key('a'), { startMs: T0, endMs: T0 + 40 * MIN }, T0 + 100 * MIN);
  cache.store(key('c'), 60, { startMs: T0, endMs: T0 + 40 * MIN }, T0 + 100 * MIN, points(T0, T0 + 40 * MIN));
  expect(cache.totalCost).toBeLessThanOrEqual(maxPoints);
  expect(cache.lookup(key('b'), { startMs: T0, endMs: T0 + MIN }, T0 + 100 * MIN).hit).toBe(false);
  expect(cache.lookup(key('a'), { startMs: T0, endMs: T0 + MIN }, T0 + 100 * MIN).hit).toBe(true);
  // A single series larger than the whole budget is not kept.
  cache.store(key('huge'), 60, { startMs: T0, endMs: T0 + 200 * MIN }, T0 + 300 * MIN, points(T0, T0 + 200 * MIN));
  expect(cache.lookup(key('huge'), { startMs: T0, endMs: T0 + MIN }, T0 + 300 * MIN).hit).toBe(false);
  expect(cache.totalCost).toBeLessThanOrEqual(maxPoints);
});

test('empty series count toward the bound: thousands of quiet series cannot grow the cache past it', () => {
  const cache = new SeriesCache({ maxPoints: 1000 });
  const range = { startMs: T0, endMs: T0 + 60 * MIN };
  for (let i = 0; i < 5_000; i++) {
    cache.store(key(`quiet-${i}`), 60, range, T0 + 90 * MIN, { timestamps: [], values: [] });
  }
  expect(cache.size).toBe(Math.floor(1000 / ENTRY_OVERHEAD_POINTS));
  expect(cache.totalCost).toBeLessThanOrEqual(1000);
  // The newest ones are kept (and still answer: an empty range is a valid, cached answer).
  expect(cache.lookup(key('quiet-4999'), range, T0 + 90 * MIN)).toMatchObject({ hit: true });
  expect(cache.lookup(key('quiet-0'), range, T0 + 90 * MIN)).toMatchObject({ hit: false });
});

test('asking again for the same range gets the same arrays back, and a kept copy counts toward the bound', () => {
  // Room for 150 points in two entries.
  const cache = new SeriesCache({ maxPoints: 150 + 2 * ENTRY_OVERHEAD_POINTS });
  const day = { startMs: T0, endMs: T0 + 100 * MIN };
  cache.store(key('s'), 60, day, T0 + 200 * MIN, points(T0, T0 + 100 * MIN));
  const whole = cache.lookup(key('s'), day, T0 + 200 * MIN);
  const again = cache.lookup(key('s'), day, T0 + 200 * MIN);
  expect(whole.hit && again.hit && whole.points.values === again.points.values).toBe(true);
  expect(cache.totalPoints).toBe(100);

  const part = { startMs: T0 + 10 * MIN, endMs: T0 + 50 * MIN };
  const first = cache.lookup(key('s'), part, T0 + 200 * MIN);
  const second = cache.lookup(key('s'), part, T0 + 200 * MIN);
  expect(first.hit && first.points.timestamps).toEqual(points(T0 + 10 * MIN, T0 + 50 * MIN).timestamps);
  expect(first.hit && second.hit && first.points.values === second.points.values).toBe(true);
  expect(cache.totalPoints).toBe(140);

  // A new copy replaces the old one; past the bound the least recently used entries go first.
  cache.store(key('t'), 60, { startMs: T0, endMs: T0 + 5 * MIN }, T0 + 200 * MIN, points(T0, T0 + 5 * MIN));
  expect(cache.totalPoints).toBe(145);
  cache.lookup(key('s'), { startMs: T0 + 20 * MIN, endMs: T0 + 68 * MIN }, T0 + 200 * MIN);
  expect(cache.totalPoints).toBe(148);
  expect(cache.lookup(key('t'), { startMs: T0, endMs: T0 + 5 * MIN }, T0 + 200 * MIN).hit).toBe(false);

  // A copy that cannot fit beside its entry is served but not kept.
  const big = cache.lookup(key('s'), { startMs: T0, endMs: T0 + 90 * MIN }, T0 + 200 * MIN);
  expect(big.hit && big.points.timestamps).toHaveLength(90);
  expect(cache.totalPoints).toBe(148);
});

test('points handed over out of order are kept in time order, one per time', () => {
  const cache = new SeriesCache();
  const range = { startMs: T0, endMs: T0 + 3 * MIN };
  cache.store(key('u'), 60, range, T0 + 10 * MIN, { timestamps: [T0 + 2 * MIN, T0, T0 + MIN], values: [2, 0, 1] });
  const hit = cache.lookup(key('u'), range, T0 + 10 * MIN);
  expect(hit.hit && hit.points).toEqual({ timestamps: [T0, T0 + MIN, T0 + 2 * MIN], values: [0, 1, 2] });
});

describe('values after merges', () => {
  test('overlay keeps every value after an incremental fetch: no undefined values (graph gaps)', () => {
    const cache = new SeriesCache({ freshnessMs: 60_000 });
    const fetchedAt = T0 + 30.5 * MIN;
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 31 * MIN }, fetchedAt, points(T0, T0 + 31 * MIN));
    // The tail fetch re-reads the partial bucket 30 with a new value and adds 31..34.
    const tail = points(T0 + 30 * MIN, T0 + 35 * MIN);
    tail.values[0] = 300;
    cache.store(key('s'), 60, { startMs: T0 + 30 * MIN, endMs: T0 + 35 * MIN }, T0 + 35.5 * MIN, tail);
    const look = cache.lookup(key('s'), { startMs: T0 + 27 * MIN, endMs: T0 + 35 * MIN }, T0 + 35.6 * MIN);
    expect(look).toEqual({
      hit: true,
      completeUntilMs: T0 + 35 * MIN,
      points: {
        timestamps: [27, 28, 29, 30, 31, 32, 33, 34].map((m) => T0 + m * MIN),
        values: [27, 28, 29, 300, 31, 32, 33, 34],
      },
    });
  });

  test('overlay of points out of order: one value per time, the newer one winning', () => {
    expect(overlay({ timestamps: [3, 1, 2], values: [30, 10, 20] }, { timestamps: [4, 2], values: [40, 21] })).toEqual({
      timestamps: [1, 2, 3, 4],
      values: [10, 21, 30, 40],
    });
    expect(overlay({ timestamps: [1, 2], values: [10, 20] }, { timestamps: [2, 3], values: [22, 30] })).toEqual({
      timestamps: [1, 2, 3],
      values: [10, 22, 30],
    });
  });

  test('slice of points out of order keeps the range minus the excluded part, with their values', () => {
    const unordered = { timestamps: [4, 1, 5, 2, 3], values: [40, 10, 50, 20, 30] };
    expect(slice(unordered, { startMs: 2, endMs: 5 })).toEqual({ timestamps: [4, 2, 3], values: [40, 20, 30] });
    expect(slice(unordered, { startMs: 1, endMs: 6 }, { startMs: 2, endMs: 4 })).toEqual({
      timestamps: [4, 1, 5],
      values: [40, 10, 50],
    });
    const ordered = { timestamps: [1, 2, 3, 4, 5], values: [10, 20, 30, 40, 50] };
    expect(slice(ordered, { startMs: 1, endMs: 6 }, { startMs: 2, endMs: 4 })).toEqual({
      timestamps: [1, 4, 5],
      values: [10, 40, 50],
    });
    expect(slice(ordered, { startMs: 1, endMs: 6 }, { startMs: 0, endMs: 3 })).toEqual({
      timestamps: [3, 4, 5],
      values: [30, 40, 50],
    });
    expect(slice(ordered, { startMs: 1, endMs: 6 }, { startMs: 4, endMs: 9 })).toEqual({
      timestamps: [1, 2, 3],
      values: [10, 20, 30],
    });
  });

  test('slices and overlays that change nothing hand back the same arrays (no copy per request)', () => {
    const ordered = { timestamps: [1, 2, 3], values: [10, 20, 30] };
    const same = (points: { timestamps: number[]; values: number[] }) =>
      points.timestamps === ordered.timestamps && points.values === ordered.values;
    expect(same(slice(ordered, { startMs: 0, endMs: 10 }))).toBe(true);
    expect(same(slice(ordered, { startMs: 0, endMs: 10 }, { startMs: 5, endMs: 9 }))).toBe(true); // excluded: after
    expect(same(slice(ordered, { startMs: 0, endMs: 10 }, { startMs: -5, endMs: 1 }))).toBe(true); // excluded: before
    expect(same(overlay(ordered, { timestamps: [], values: [] }))).toBe(true);
    expect(same(overlay({ timestamps: [], values: [] }, ordered))).toBe(true);
  });

  test('disjoint cached ranges are not joined: the gap between them is a miss, never a zero-filled hit', () => {
    const cache = new SeriesCache();
    const at = T0 + 200 * MIN;
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 30 * MIN }, at, points(T0, T0 + 30 * MIN));
    cache.store(
      key('s'),
      60,
      { startMs: T0 + 60 * MIN, endMs: T0 + 90 * MIN },
      at,
      points(T0 + 60 * MIN, T0 + 90 * MIN)
    );
    // The newer range replaced the older one; nothing claims to cover minutes 30..59.
    expect(cache.lookup(key('s'), { startMs: T0 + 30 * MIN, endMs: T0 + 60 * MIN }, at)).toMatchObject({
      hit: false,
      partial: false,
    });
    expect(cache.lookup(key('s'), { startMs: T0, endMs: T0 + 90 * MIN }, at)).toMatchObject({
      hit: false,
      missing: { startMs: T0, endMs: T0 + 60 * MIN },
    });
    const kept = cache.lookup(key('s'), { startMs: T0 + 60 * MIN, endMs: T0 + 90 * MIN }, at);
    expect(kept.hit && kept.points).toEqual(points(T0 + 60 * MIN, T0 + 90 * MIN));
  });

  test('adjacent ranges join into one entry serving both with their values', () => {
    const cache = new SeriesCache();
    const at = T0 + 200 * MIN;
    cache.store(
      key('s'),
      60,
      { startMs: T0 + 30 * MIN, endMs: T0 + 60 * MIN },
      at,
      points(T0 + 30 * MIN, T0 + 60 * MIN)
    );
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 30 * MIN }, at, points(T0, T0 + 30 * MIN));
    const look = cache.lookup(key('s'), { startMs: T0, endMs: T0 + 60 * MIN }, at);
    expect(look).toEqual({ hit: true, points: points(T0, T0 + 60 * MIN), completeUntilMs: T0 + 60 * MIN });
  });
});

describe('lookups say exactly what to fetch', () => {
  const fetchedAt = T0 + 59.5 * MIN;
  /** An entry of minutes 0..58 fetched at 59.5: complete until minute 59, fresh until 60.5. */
  const cached = () => {
    const cache = new SeriesCache({ freshnessMs: 60_000 });
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 60 * MIN }, fetchedAt, points(T0, T0 + 59 * MIN));
    return cache;
  };

  test('a series never fetched misses the whole range, with nothing to reuse and nothing safe to zero-fill', () => {
    const want = { startMs: T0, endMs: T0 + MIN };
    expect(new SeriesCache().lookup(key('new'), want, T0)).toEqual({
      hit: false,
      missing: want,
      cached: { timestamps: [], values: [] },
      partial: false,
      completeUntilMs: T0,
    });
  });

  test('the newest bucket is trusted up to exactly the freshness window after its fetch', () => {
    const cache = cached();
    const all = { startMs: T0, endMs: T0 + 60 * MIN };
    expect(cache.lookup(key('s'), all, fetchedAt + 60_000).hit).toBe(true);
    expect(cache.lookup(key('s'), all, fetchedAt + 60_001)).toMatchObject({
      hit: false,
      missing: { startMs: T0 + 59 * MIN, endMs: T0 + 60 * MIN },
    });
  });

  test('a request from the entry start past its fresh part fetches only the tail and reuses the rest', () => {
    const look = cached().lookup(key('s'), { startMs: T0, endMs: T0 + 62 * MIN }, fetchedAt + 5 * MIN);
    expect(look).toEqual({
      hit: false,
      missing: { startMs: T0 + 59 * MIN, endMs: T0 + 62 * MIN },
      cached: points(T0, T0 + 59 * MIN),
      partial: true,
      completeUntilMs: T0 + 59 * MIN,
    });
  });

  test('a request starting where the fresh part ends is a plain miss: nothing cached to reuse', () => {
    const want = { startMs: T0 + 59 * MIN, endMs: T0 + 65 * MIN };
    expect(cached().lookup(key('s'), want, fetchedAt + 5 * MIN)).toEqual({
      hit: false,
      missing: want,
      cached: { timestamps: [], values: [] },
      partial: false,
      completeUntilMs: want.startMs,
    });
  });

  test('a longer part with the same start gets all of its points, not the copy kept for the shorter one', () => {
    const cache = new SeriesCache();
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 100 * MIN }, T0 + 200 * MIN, points(T0, T0 + 100 * MIN));
    cache.lookup(key('s'), { startMs: T0 + 10 * MIN, endMs: T0 + 50 * MIN }, T0 + 200 * MIN);
    const longer = cache.lookup(key('s'), { startMs: T0 + 10 * MIN, endMs: T0 + 60 * MIN }, T0 + 200 * MIN);
    expect(longer.hit && longer.points).toEqual(points(T0 + 10 * MIN, T0 + 60 * MIN));
  });
});

describe('entries after stores', () => {
  const at = T0 + 200 * MIN;

  test('an incremental tail fetch starting where the entry ends joins it: one entry serving both', () => {
    const cache = new SeriesCache();
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 30 * MIN }, at, points(T0, T0 + 30 * MIN));
    cache.store(
      key('s'),
      60,
      { startMs: T0 + 30 * MIN, endMs: T0 + 60 * MIN },
      at,
      points(T0 + 30 * MIN, T0 + 60 * MIN)
    );
    const look = cache.lookup(key('s'), { startMs: T0, endMs: T0 + 60 * MIN }, at);
    expect(look).toEqual({ hit: true, points: points(T0, T0 + 60 * MIN), completeUntilMs: T0 + 60 * MIN });
  });

  test('an earlier disjoint range replaces the entry rather than joining it across the gap', () => {
    const cache = new SeriesCache();
    cache.store(
      key('s'),
      60,
      { startMs: T0 + 60 * MIN, endMs: T0 + 90 * MIN },
      at,
      points(T0 + 60 * MIN, T0 + 90 * MIN)
    );
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 30 * MIN }, at, points(T0, T0 + 30 * MIN));
    expect(cache.peek(key('s'))).toEqual({
      period: 60,
      range: { startMs: T0, endMs: T0 + 30 * MIN },
      fetchedAtMs: at,
      points: points(T0, T0 + 30 * MIN),
    });
    expect(cache.lookup(key('s'), { startMs: T0, endMs: T0 + 90 * MIN }, at)).toMatchObject({
      hit: false,
      missing: { startMs: T0 + 30 * MIN, endMs: T0 + 90 * MIN },
    });
  });

  test("a head fetch keeps the entry's fetch time and completeness; a fetch reaching its end renews them", () => {
    const cache = new SeriesCache();
    const tailAt = T0 + 59.5 * MIN;
    cache.store(
      key('s'),
      60,
      { startMs: T0 + 30 * MIN, endMs: T0 + 60 * MIN },
      tailAt,
      points(T0 + 30 * MIN, T0 + 59 * MIN)
    );
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 30 * MIN }, T0 + 70 * MIN, points(T0, T0 + 30 * MIN));
    expect(cache.peek(key('s'))).toMatchObject({ range: { startMs: T0, endMs: T0 + 60 * MIN }, fetchedAtMs: tailAt });
    expect(cache.lookup(key('s'), { startMs: T0, endMs: T0 + 60 * MIN }, T0 + 70 * MIN)).toMatchObject({
      hit: false,
      missing: { startMs: T0 + 59 * MIN, endMs: T0 + 60 * MIN },
      completeUntilMs: T0 + 59 * MIN,
    });
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 60 * MIN }, T0 + 80 * MIN, points(T0, T0 + 60 * MIN));
    expect(cache.peek(key('s'))).toMatchObject({ fetchedAtMs: T0 + 80 * MIN });
    expect(cache.lookup(key('s'), { startMs: T0, endMs: T0 + 60 * MIN }, T0 + 80 * MIN)).toMatchObject({
      hit: true,
      completeUntilMs: T0 + 60 * MIN,
    });
  });

  test('points older than the retention (less an hour of slack) are dropped from the entry', () => {
    const cache = new SeriesCache();
    const now = T0 + 20 * DAY;
    const oldest = now - 15 * DAY - HOUR; // 1-minute data is kept 15 days
    const timestamps = [now - 20 * DAY, oldest - MIN, oldest, oldest + MIN, now - MIN];
    cache.store(key('s'), 60, { startMs: now - 20 * DAY, endMs: now }, now, { timestamps, values: [1, 2, 3, 4, 5] });
    expect(cache.peek(key('s'))).toEqual({
      period: 60,
      range: { startMs: oldest, endMs: now },
      fetchedAtMs: now,
      points: { timestamps: [oldest, oldest + MIN, now - MIN], values: [3, 4, 5] },
    });
    expect(cache.totalPoints).toBe(3);
  });

  test('peek shows an entry without making it recently used', () => {
    const cache = new SeriesCache({ maxPoints: 2 * (10 + ENTRY_OVERHEAD_POINTS) });
    const range = { startMs: T0, endMs: T0 + 10 * MIN };
    expect(cache.peek(key('a'))).toBeUndefined();
    cache.store(key('a'), 300, range, at, points(T0, T0 + 10 * MIN));
    cache.store(key('b'), 300, range, at, points(T0, T0 + 10 * MIN));
    expect(cache.peek(key('a'))).toEqual({ period: 300, range, fetchedAtMs: at, points: points(T0, T0 + 10 * MIN) });
    cache.store(key('c'), 300, range, at, points(T0, T0 + 10 * MIN));
    expect(cache.peek(key('a'))).toBeUndefined(); // still the least recently used
    expect(cache.peek(key('b'))).toBeDefined();
  });

  test('a series too large for the whole bound is not kept and evicts nobody; one that just fits is kept', () => {
    const cache = new SeriesCache({ maxPoints: 2 * (40 + ENTRY_OVERHEAD_POINTS) });
    cache.store(key('a'), 60, { startMs: T0, endMs: T0 + 40 * MIN }, at, points(T0, T0 + 40 * MIN));
    cache.store(key('b'), 60, { startMs: T0, endMs: T0 + 40 * MIN }, at, points(T0, T0 + 40 * MIN));
    cache.store(key('huge'), 60, { startMs: T0, endMs: T0 + 200 * MIN }, at, points(T0, T0 + 200 * MIN));
    expect(cache.peek(key('huge'))).toBeUndefined();
    expect([cache.size, cache.totalPoints]).toEqual([2, 80]);
    const exact = new SeriesCache({ maxPoints: 40 + ENTRY_OVERHEAD_POINTS });
    exact.store(key('a'), 60, { startMs: T0, endMs: T0 + 40 * MIN }, at, points(T0, T0 + 40 * MIN));
    expect(exact.totalCost).toBe(40 + ENTRY_OVERHEAD_POINTS);
    // A served copy that just fits beside its entry is kept too.
    const copy = new SeriesCache({ maxPoints: 40 + ENTRY_OVERHEAD_POINTS + 10 });
    copy.store(key('a'), 60, { startMs: T0, endMs: T0 + 40 * MIN }, at, points(T0, T0 + 40 * MIN));
    copy.lookup(key('a'), { startMs: T0, endMs: T0 + 10 * MIN }, at);
    expect(copy.totalPoints).toBe(50);
  });

  test('replacing an entry that kept a served copy frees the copy too', () => {
    const cache = new SeriesCache();
    cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 100 * MIN }, at, points(T0, T0 + 100 * MIN));
    cache.lookup(key('s'), { startMs: T0 + 10 * MIN, endMs: T0 + 50 * MIN }, at);
    expect(cache.totalPoints).toBe(140);
    cache.store(
      key('s'),
      60,
      { startMs: T0 + 150 * MIN, endMs: T0 + 160 * MIN },
      at,
      points(T0 + 150 * MIN, T0 + 160 * MIN)
    );
    expect([cache.totalPoints, cache.totalCost]).toEqual([10, 10 + ENTRY_OVERHEAD_POINTS]);
  });
});

test('a fresh entry that reached its fetch time answers the bucket begun since, until the window ends', () => {
  const cache = new SeriesCache({ freshnessMs: 60_000 });
  // Fetched 10 s before the 60th bucket ended, up to that bucket's end.
  const fetchedAt = T0 + 59 * MIN + 50_000;
  cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 60 * MIN }, fetchedAt, points(T0, T0 + 60 * MIN));
  // 20 s later a new bucket has begun: the plan asks up to its end; nothing happened in it as of the fetch.
  const look = cache.lookup(key('s'), { startMs: T0 + MIN, endMs: T0 + 61 * MIN }, fetchedAt + 20_000);
  expect(look).toMatchObject({ hit: true, completeUntilMs: T0 + 59 * MIN });
  expect(look.hit && look.points.timestamps.at(-1)).toBe(T0 + 59 * MIN);
  // Past the window it is stale: from the bucket that was partial at the fetch on.
  expect(cache.lookup(key('s'), { startMs: T0 + MIN, endMs: T0 + 61 * MIN }, fetchedAt + 61_000)).toMatchObject({
    hit: false,
    missing: { startMs: T0 + 59 * MIN, endMs: T0 + 61 * MIN },
  });
  // Never further than the window reaches.
  expect(cache.lookup(key('s'), { startMs: T0 + MIN, endMs: T0 + 62 * MIN }, fetchedAt + 20_000).hit).toBe(false);
});

test('an entry that ended before its fetch time does not answer later buckets, fresh or not', () => {
  const cache = new SeriesCache({ freshnessMs: 60_000 });
  const fetchedAt = T0 + 59 * MIN + 50_000;
  // An older range (ending 10 minutes before the fetch): what came after it is unknown.
  cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 50 * MIN }, fetchedAt, points(T0, T0 + 50 * MIN));
  expect(cache.lookup(key('s'), { startMs: T0, endMs: T0 + 51 * MIN }, fetchedAt + 1_000)).toMatchObject({
    hit: false,
    missing: { startMs: T0 + 50 * MIN, endMs: T0 + 51 * MIN },
  });
});

test('an entry fetched right at the end of its range still answers the bucket begun at that moment', () => {
  const cache = new SeriesCache({ freshnessMs: 60_000 });
  const fetchedAt = T0 + 60 * MIN; // on the boundary: bucket 60 began as the fetch was made
  cache.store(key('s'), 60, { startMs: T0, endMs: T0 + 60 * MIN }, fetchedAt, points(T0, T0 + 60 * MIN));
  const look = cache.lookup(key('s'), { startMs: T0 + MIN, endMs: T0 + 61 * MIN }, fetchedAt + 20_000);
  expect(look).toEqual({ hit: true, points: points(T0 + MIN, T0 + 60 * MIN), completeUntilMs: T0 + 60 * MIN });
});
