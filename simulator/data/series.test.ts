// The series model on its own: determinism, realistic shape (zeros, daily rhythm), and the memoised
// day sums agreeing with plain sums.
import { buildSeries, minuteCounts, sumMinutes } from './series';
import { episodesStartingIn, SLOT_MINUTES } from './episodes';

const minuteOf = (iso: string) => Date.parse(iso) / 60_000;

test('the same seed, account and region give the same counts; another seed does not', () => {
  const [a] = buildSeries('s1', '123456789012', 'us-east-1');
  const [b] = buildSeries('s1', '123456789012', 'us-east-1');
  const [c] = buildSeries('s2', '123456789012', 'us-east-1');
  const start = minuteOf('2026-11-01T00:00:00Z');
  expect(minuteCounts(a, start, 5000)).toEqual(minuteCounts(b, start, 5000));
  expect(minuteCounts(a, start, 5000)).not.toEqual(minuteCounts(c, start, 5000));
});

test('low-rate series have many zero minutes, and working hours are busier than nights', () => {
  const series = buildSeries('shape', '123456789012', 'us-east-1');
  const start = minuteOf('2026-11-02T00:00:00Z'); // a Monday
  for (const s of series.filter((x) => x.baseRatePerMinute < 0.5)) {
    const counts = minuteCounts(s, start, 5 * 1440);
    expect(counts.filter((v) => v === 0).length / counts.length).toBeGreaterThan(0.3);
  }
  const busy = series.find((s) => s.eventName === 'CreateTags')!;
  const day = minuteCounts(busy, start, 5 * 1440);
  const sumHours = (from: number, to: number) =>
    day.filter((_, i) => i % 1440 >= from * 60 && i % 1440 < to * 60).reduce((x, y) => x + y, 0);
  expect(sumHours(10, 16)).toBeGreaterThan(2 * sumHours(0, 6));
});

test('sumMinutes (with memoised days) equals the plain sum for unaligned ranges', () => {
  const [s] = buildSeries('sums', '123456789012', 'us-east-1');
  const from = minuteOf('2026-10-01T03:17:00Z');
  const to = from + 7 * 1440 + 555;
  const plain = minuteCounts(s, from, to - from).reduce((a, b) => a + b, 0);
  expect(sumMinutes(s, from, to)).toBe(plain);
  expect(sumMinutes(s, from, to)).toBe(plain); // second time from the memo
});

test('episodes stay inside their slot and raise the counts', () => {
  const series = buildSeries('episodes', '123456789012', 'us-east-1');
  const from = minuteOf('2026-08-01T00:00:00Z');
  const found = series.flatMap((s) => episodesStartingIn(s, from, from + 90 * 1440));
  expect(found.length).toBeGreaterThan(50);
  for (const e of found.slice(0, 20)) {
    expect(Math.floor(e.startMinute / SLOT_MINUTES)).toBe(
      Math.floor((e.startMinute + e.durationMinutes - 1) / SLOT_MINUTES)
    );
    const during =
      minuteCounts(e.series, e.startMinute, e.durationMinutes).reduce((a, b) => a + b, 0) / e.durationMinutes;
    const before = minuteCounts(e.series, e.startMinute - 7 * 1440, 7 * 1440).reduce((a, b) => a + b, 0) / (7 * 1440);
    expect(during).toBeGreaterThan(before + 2);
  }
});
